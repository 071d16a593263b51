/**
 * The functional building block of a network: a layer is a function of a tensor and the forward
 * context (mode, training progress, seeds); its weights live in a ParamStore captured at build
 * time.
 */
import { activeProfile } from '../profiles/active-profile.ts';
import type { Tensor4D } from '../tf.ts';

/** How a forward pass runs. */
export interface ForwardMode {
  /**
   * Training: BN uses batch statistics and updates its moving averages; drop path and dropout
   * apply.
   */
  readonly training: boolean;
  /** Training progress t/T in [0, 1], for ScheduledDropPath. */
  readonly progress: number;
}

/** What every layer sees during one forward pass. */
export interface ForwardContext extends ForwardMode {
  /**
   * True while a checkpointed cell is recomputed for backprop (see ./checkpoint.ts): the same
   * function again, so BN must not update its moving averages a second time.
   */
  readonly recompute: boolean;
  /**
   * A fresh seed for the next random op of this pass (repeatable for a given network seed and
   * call).
   */
  nextSeed(): number;
}

/** A layer: NHWC in, NHWC out. */
export type Layer = (x: Tensor4D, ctx: ForwardContext) => Tensor4D;

/** Returns its input. */
export const identity: Layer = (x) => x;

/** Rectified linear unit. */
export const relu: Layer = (x) => activeProfile().relu(x);

/** The layers applied one after the other, left to right (as rxjs `pipe`). */
export function sequence(...layers: readonly Layer[]): Layer {
  if (layers.length === 1 && layers[0] !== undefined) return layers[0];
  return (x, ctx) => layers.reduce((y, layer) => layer(y, ctx), x);
}
