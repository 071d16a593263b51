/**
 * A stride-1 SAME convolution dilated by a rate, as space-to-batch, a plain VALID convolution and
 * batch-to-space (as TensorFlow's `atrous_conv2d` does): tfjs has no gradient for dilated kernels,
 * and this differentiates everywhere.
 */
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';

/** Stride-1 SAME convolution dilated by `rate`, via space-to-batch (no dilated kernel needed). */
export function spaceToBatchAtrousConv2d(
  x: Tensor4D,
  filter: Tensor4D,
  rate: [number, number],
): Tensor4D {
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
