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
  activeProfile(); // registers the conv backprops a backend lacks (wasm), as for every conv here
  return tf.conv2d(x, filter, [strides[0], strides[1]], 'valid');
}

/**
 * A dilated (atrous) convolution with SAME padding. Its stride-1 core is the backend profile's
 * (on tensorflow TensorFlow's dilated kernels; elsewhere space-to-batch, since tfjs has no gradient
 * for dilated kernels). With a
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
  const [kh, kw] = filter.shape;
  const pre: Pair = [
    strides[0] === rate[0] && kh % 2 === 1 ? strides[0] : 1,
    strides[1] === rate[1] && kw % 2 === 1 ? strides[1] : 1,
  ];
  return tf.tidy(() => {
    const r: [number, number] = [rate[0] / pre[0], rate[1] / pre[1]];
    const y = atrousConv2d(subsample(x, pre), filter, r);
    return subsample(y, [strides[0] / pre[0], strides[1] / pre[1]]);
  });
}

/** Stride-1 SAME convolution dilated by `rate` (1 or more along each axis). */
function atrousConv2d(x: Tensor4D, filter: Tensor4D, rate: [number, number]): Tensor4D {
  if (rate[0] === 1 && rate[1] === 1) return conv2d(x, filter);
  return activeProfile().atrousConv2d(x, filter, rate);
}
