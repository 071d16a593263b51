/**
 * Per-channel reductions and affine maps of NHWC tensors written as ops that tfjs-backend-wasm
 * runs in XNNPACK at memory speed: a channel mean as one average pool over all pixels (wasm's Mean
 * and Sum over axes 0-2 transpose first, about 10x slower) and `x * scale + shift` as a 1x1
 * depthwise convolution with a bias (a broadcast Multiply and Add cost about 7x more).
 */
import { tf } from '../tf.ts';
import type { Tensor1D, Tensor4D } from '../tf.ts';

/** The mean over batch, rows and columns of each channel of x: [C]. */
export function channelMean(x: Tensor4D): Tensor1D {
  const [n, h, w, c] = x.shape;
  const pooled = tf.avgPool(x.as4D(1, n * h, w, c), [n * h, w], 1, 'valid');
  return pooled.as1D();
}

/** The sum over batch, rows and columns of each channel of x: [C]. */
export function channelSum(x: Tensor4D): Tensor1D {
  const [n, h, w] = x.shape;
  return tf.mul(channelMean(x), n * h * w);
}

/** x * scale + shift with per-channel `scale` and `shift` (`shift` null: none). */
export function scaleShift(x: Tensor4D, scale: Tensor1D, shift: Tensor1D | null): Tensor4D {
  const c = x.shape[3];
  return tf.fused.depthwiseConv2d({
    x,
    filter: scale.as4D(1, 1, c, 1),
    strides: 1,
    pad: 'valid',
    ...(shift === null ? {} : { bias: shift }),
  });
}
