/**
 * Dilated convolutions for graphs differentiated by TF_AddGradients: the C++ gradients of Conv2D
 * and DepthwiseConv2dNative ignore `dilations` (gradient-probes.ts shows the wrong values), so a
 * dilated convolution is built as TensorFlow's Python atrous convolution builds it, from ops whose
 * gradients are right.
 */
import type { GraphOutput } from './graph-addon.ts';
import { attr, intTensor, type GraphBuilder } from './graph-builder.ts';

/**
 * A dilated stride-1 SAME convolution the way TensorFlow's Python atrous convolution builds it:
 * SpaceToBatchND, an undilated VALID convolution, BatchToSpaceND. Without `size` (H, W) the size
 * must be divisible by the rate; with it, a size that is not is padded at the end to a multiple
 * and the extra cropped away again (Python's `required_space_to_batch_paddings`).
 */
export function atrous(
  b: GraphBuilder,
  kind: 'Conv2D' | 'DepthwiseConv2dNative',
  x: GraphOutput,
  w: GraphOutput,
  rate: number,
  kernel: number,
  size?: readonly [number, number],
): GraphOutput {
  const pad = (rate * (kernel - 1)) / 2;
  const extra = (n: number | undefined): number =>
    n === undefined ? 0 : (rate - ((n + 2 * pad) % rate)) % rate;
  const [eh, ew] = [extra(size?.[0]), extra(size?.[1])];
  const block = b.ints([rate, rate]);
  const paddings = b.constant(intTensor([2, 2], [pad, pad + eh, pad, pad + ew]));
  const crops = b.constant(intTensor([2, 2], [0, eh, 0, ew]));
  const spread = b.op1('SpaceToBatchND', [x, block, paddings]);
  const attrs = {
    strides: attr.ints([1, 1, 1, 1]),
    padding: attr.string('VALID'),
    data_format: attr.string('NHWC'),
  };
  return b.op1('BatchToSpaceND', [b.op1(kind, [spread, w], attrs), block, crops]);
}
