/**
 * The convolutions the network builder uses, SAME padding unless named VALID, all differentiable
 * w.r.t. input and filter on every backend (cpu, wasm, tensorflow): the backend's profile
 * (../profiles) supplies the padding form and any backprop kernels the backend lacks.
 */
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';
import { activeProfile } from '../profiles/active-profile.ts';
import { subsample } from '../profiles/subsample.ts';

export { subsample } from '../profiles/subsample.ts';

/** A stride or dilation rate, [rows, columns]. */
export type Pair = readonly [number, number];

/** A k x k' convolution with SAME padding; `filter` is [kh, kw, in, out], `strides` [sh, sw]. */
export function conv2d(x: Tensor4D, filter: Tensor4D, strides: Pair = [1, 1]): Tensor4D {
  return activeProfile().conv2d(x, filter, [strides[0], strides[1]]);
}

/** A depthwise convolution with SAME padding; `filter` is [kh, kw, in, multiplier]. */
export function depthwiseConv2d(x: Tensor4D, filter: Tensor4D, strides: Pair = [1, 1]): Tensor4D {
  const s: [number, number] = [strides[0], strides[1]];
  return tf.depthwiseConv2d(x, filter, s, activeProfile().convPadding(x, filter, s, true));
}

/**
 * A convolution with VALID padding (the ImageNet stem and the aux head's last conv). Added for the
 * network builder: with no padding at all, tfjs-backend-wasm's SAME-padding bug cannot arise.
 */
export function validConv2d(x: Tensor4D, filter: Tensor4D, strides: Pair = [1, 1]): Tensor4D {
  activeProfile();
  return tf.conv2d(x, filter, [strides[0], strides[1]], 'valid');
}

/**
 * A dilated (atrous) convolution with SAME padding. tfjs allows no stride with dilation and has no
 * gradient for dilated kernels, so it is computed as space-to-batch, a plain VALID convolution and
 * batch-to-space (as TensorFlow's `atrous_conv2d` does), which differentiates everywhere. With a
 * stride it means the stride-1 result subsampled at rows and columns 0, s, 2s, ...; along an axis
 * where the stride equals the rate (odd kernel) that equals subsampling the input first, which is
 * what is computed (s times cheaper).
 */
export function dilatedConv2d(
  x: Tensor4D,
  filter: Tensor4D,
  rate: Pair,
  strides: Pair = [1, 1],
): Tensor4D {
  activeProfile();
  const [kh, kw] = filter.shape;
  const pre: Pair = [
    strides[0] === rate[0] && kh % 2 === 1 ? strides[0] : 1,
    strides[1] === rate[1] && kw % 2 === 1 ? strides[1] : 1,
  ];
  return tf.tidy(() => {
    const y = atrousConv2d(subsample(x, pre), filter, [rate[0] / pre[0], rate[1] / pre[1]]);
    return subsample(y, [strides[0] / pre[0], strides[1] / pre[1]]);
  });
}

/** Stride-1 SAME convolution dilated by `rate`, via space-to-batch (no dilated kernel needed). */
function atrousConv2d(x: Tensor4D, filter: Tensor4D, rate: Pair): Tensor4D {
  if (rate[0] === 1 && rate[1] === 1) return conv2d(x, filter);
  const [, h, w] = x.shape;
  const [kh, kw] = filter.shape;
  const rows = atrousPadding(h, kh, rate[0]);
  const cols = atrousPadding(w, kw, rate[1]);
  const blocks = [rate[0], rate[1]];
  const spread = tf.spaceToBatchND(x, blocks, [rows.pad, cols.pad]);
  const y = tf.conv2d(spread, filter, 1, 'valid');
  return tf.batchToSpaceND(y, blocks, [rows.crop, cols.crop]);
}

/**
 * SAME padding of a dilated kernel along one axis, plus the extra rows that make the padded size a
 * multiple of the rate (as TensorFlow's `required_space_to_batch_paddings`), cropped afterwards.
 */
function atrousPadding(size: number, kernel: number, rate: number) {
  const total = (kernel - 1) * rate;
  const before = Math.floor(total / 2);
  const extra = (rate - ((size + total) % rate)) % rate;
  return { pad: [before, total - before + extra], crop: [0, extra] };
}
