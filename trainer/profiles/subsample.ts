/**
 * Strided subsampling of NHWC tensors, an op every profile may compose with (it is plain tfjs
 * reshapes, pads and slices).
 */
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';

/** A stride, [rows, columns]. */
type Strides = readonly [number, number];

/**
 * Keeps rows 0, sh, 2sh, ... and columns 0, sw, 2sw, ...: pads x to whole strides, sees each row
 * of sw pixels as one wide pixel and slices. Its gradient is a pad and a slice; a 1x1 average pool
 * would be as fast forward, but tfjs-backend-wasm's AvgPoolGrad is 10-20x slower than either.
 */
export function subsample(x: Tensor4D, strides: Strides): Tensor4D {
  const [sh, sw] = strides;
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const [ho, wo] = [Math.ceil(h / sh), Math.ceil(w / sw)];
  const whole =
    ho * sh === h && wo * sw === w
      ? x
      : tf.pad(x, [
          [0, 0],
          [0, ho * sh - h],
          [0, wo * sw - w],
          [0, 0],
        ]);
  const rows = tf.slice(whole.reshape([n, ho, sh, wo, sw * c]), 0, [n, ho, 1, wo, c]);
  return rows.as4D(n, ho, wo, c);
}
