/**
 * Seeded weight initialisers. Convolutions use He-normal over the fan-in (the truncated normal of
 * Keras `he_normal`); dense layers use Glorot-uniform, TF-slim `fully_connected`'s default.
 */
import { tf } from '../tf.ts';
import type { Tensor } from '../tf.ts';

/** Makes the initial value of a parameter of `shape` from a seed. */
export type Initializer = (shape: readonly number[], seed: number) => Tensor;

/**
 * Stddev correction of a normal truncated at two standard deviations (Keras VarianceScaling:
 * `stddev = sqrt(scale / fan) / .87962566103423978`), so the kept values have the intended
 * variance.
 */
const TRUNCATION_CORRECTION = 0.8796256610342398;

/**
 * He-normal: truncated normal with variance 2 / fanIn (fanIn = kernel height x width x input
 * channels).
 */
export function heNormal(fanIn: number): Initializer {
  const stddev = Math.sqrt(2 / Math.max(1, fanIn)) / TRUNCATION_CORRECTION;
  return (shape, seed) => tf.truncatedNormal([...shape], 0, stddev, 'float32', seed);
}

/** Glorot-uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(fanIn: number, fanOut: number): Initializer {
  const limit = Math.sqrt(6 / Math.max(1, fanIn + fanOut));
  return (shape, seed) => tf.randomUniform([...shape], -limit, limit, 'float32', seed);
}

/** Every element `value` (BN gamma and moving variance 1; beta, moving mean and biases 0). */
export function constant(value: number): Initializer {
  return (shape) => tf.fill([...shape], value, 'float32');
}
