/**
 * Gives the layers of a LayersModel the trained weights of a ParamStore, by name: each Keras weight
 * takes exactly one parameter of the same shape, and every parameter must be taken once. The
 * bindings it records (Keras weight name -> parameter name) are the one mapping between the saved
 * model's weights and the trainer's network.
 */
import type { tf } from '../tf.ts';
import type { Tensor } from '../tf.ts';
import type { ParamStore } from './param-store.ts';

/** One Keras weight and the trainer parameter it holds. */
export interface WeightBinding {
  /** The weight's name in the saved model, `<layer>/<weight>` (e.g. `stem.conv/kernel`). */
  readonly weight: string;
  /** The ParamStore name (e.g. `stem/conv`). */
  readonly param: string;
}

/** A weight binding or use that cannot be right: the model would not compute the trained network. */
export class WeightBindingError extends Error {
  constructor(message: string) {
    super(`layers model: ${message}`);
    this.name = 'WeightBindingError';
  }
}

/** Sets layer weights from a ParamStore and checks that every parameter is used exactly once. */
export class WeightBinder {
  private readonly used = new Set<string>();
  private readonly recorded: WeightBinding[] = [];

  constructor(private readonly store: ParamStore) {}

  /** Gives `layer`'s weights, in Keras order, the parameters named `params`. */
  bind(layer: tf.layers.Layer, params: readonly string[]): void {
    const weights = layer.weights;
    if (weights.length !== params.length) {
      throw new WeightBindingError(
        `layer ${layer.name} has ${weights.length} weights, given ${params.length} parameters`,
      );
    }
    const values = params.map((name, i) => {
      const weight = weights[i];
      const param = this.store.get(name);
      if (param === undefined || weight === undefined) {
        throw new WeightBindingError(
          `layer ${layer.name} needs parameter ${name}, which is missing`,
        );
      }
      if (this.used.has(name)) throw new WeightBindingError(`parameter ${name} is used twice`);
      if (!sameShape(weight.shape, param.variable.shape)) {
        const want = `[${weight.shape.join(', ')}]`;
        const have = `[${param.variable.shape.join(', ')}]`;
        throw new WeightBindingError(`${weight.originalName} is ${want} but ${name} is ${have}`);
      }
      this.used.add(name);
      this.recorded.push({ weight: weight.originalName, param: name });
      return param.variable;
    });
    layer.setWeights(values);
  }

  /** Marks every parameter under `prefix` as deliberately left out (the aux head of inference). */
  omit(prefix: string): void {
    for (const p of this.store.list()) if (p.name.startsWith(prefix)) this.used.add(p.name);
  }

  /** Gives `layer` weights that do not come from the store (the input normalisation). */
  bindConstant(layer: tf.layers.Layer, values: readonly Tensor[]): void {
    layer.setWeights([...values]);
  }

  /** The bindings made so far; throws when a parameter of the store was never used. */
  finish(): readonly WeightBinding[] {
    const unused = this.store
      .list()
      .map((p) => p.name)
      .filter((name) => !this.used.has(name));
    if (unused.length > 0) {
      const shown = unused.slice(0, 5).join(', ');
      const more = unused.length > 5 ? ` and ${unused.length - 5} more` : '';
      throw new WeightBindingError(`parameters not used by any layer: ${shown}${more}`);
    }
    return this.recorded;
  }
}

function sameShape(a: readonly (number | null)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
