/**
 * Gradient checkpointing (rematerialisation) for one part of a network: its forward pass keeps no
 * intermediates for backprop, and the backward pass recomputes it under a fresh gradient tape.
 * This trades one extra forward pass of the part for not holding all its activations at once;
 * on wasm, whose heap stops at 4 GiB, it is what lets full-size batches train.
 */
import { tf } from '../tf.ts';
import type { Tensor, Tensor4D } from '../tf.ts';

/**
 * Computes `run(inputs, false)`; backprop calls `run(savedInputs, true)` again and differentiates
 * it with respect to the inputs and `variables`. `run` must compute the same function both times
 * (same random draws) and must not repeat side effects when its second argument is true.
 */
export function checkpoint(
  run: (inputs: readonly Tensor4D[], recompute: boolean) => Tensor4D,
  inputs: readonly Tensor4D[],
  variables: readonly tf.Variable[],
): Tensor4D {
  const op = tf.customGrad((...args) => {
    const save = args[args.length - 1];
    if (typeof save !== 'function') throw new Error('checkpoint: no save function');
    save([...inputs]);
    const gradFunc = (dy: Tensor4D, saved: Tensor[]): Tensor[] => {
      const xs = saved.map((t, i) => t.as4D(...shapeOf(inputs[i])));
      const grads = recomputedGradients(() => run(xs, true), [...xs, ...variables], dy);
      return grads.map((g, i) => g ?? tf.zerosLike(saved[i] ?? variables[i - saved.length] ?? dy));
    };
    return { value: run(inputs, false), gradFunc };
  });
  return op(...inputs, ...variables);
}

/**
 * Gradients of `f` at `xs` with upstream `dy`, from inside another backward pass. tfjs 4.22's
 * engine starts a new tape only at gradient depth 0, replacing `state.activeTape`, and clears it
 * afterwards; the outer backward pass still needs its own tape for cleanup, so it is restored.
 */
function recomputedGradients(
  f: () => Tensor4D,
  xs: readonly Tensor[],
  dy: Tensor4D,
): (Tensor | null)[] {
  const engine = tf.engine();
  const outer = engine.state.activeTape;
  try {
    return engine.gradients(f, [...xs], dy, true).grads;
  } finally {
    engine.state.activeTape = outer;
  }
}

function shapeOf(t: Tensor4D | undefined): [number, number, number, number] {
  if (t === undefined) throw new Error('checkpoint: an input was not saved');
  return t.shape;
}
