/**
 * The filter gradient of a 1x1 convolution without padding (most convolutions of a NASNet cell) as
 * one matrix product: dW = X^T dY over the N*Ho*Wo pixels, with x subsampled first when strided.
 * The operand with fewer channels is transposed explicitly: tfjs-backend-wasm's BatchMatMul runs
 * `transposeA` about 3x slower than a Transpose followed by a plain product.
 */

/** Zero rows added before a transpose so that its output rows are not a power of two apart. */
const ROW_PAD = 16;
import type { TensorInfo } from '../tf.ts';
import type { KernelScope } from './kernel-scope.ts';
import { shape4 } from './conv-attrs.ts';

const NAME = 'Conv2DBackpropFilter';

/** dW [1, 1, Ci, Co] of a 1x1 convolution of x [N, H, W, Ci] with zero padding, given dy. */
export function pointwiseFilterGrad(
  s: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  strides: [number, number],
): TensorInfo {
  const [n, , , ci] = shape4(NAME, x);
  const [, ho, wo, co] = shape4(NAME, dy);
  const m = n * ho * wo;
  const a = s.reshape(subsample(s, x, strides), [m, ci]);
  const d = s.reshape(dy, [m, co]);
  const plain = { transposeA: false, transposeB: false };
  if (ci <= co) {
    const w = s.run('BatchMatMul', { a: transposeRows(s, a), b: d }, plain);
    return s.reshape(w, [1, 1, ci, co]);
  }
  const wt = s.run('BatchMatMul', { a: transposeRows(s, d), b: a }, plain);
  return s.reshape(s.transpose(s.reshape(wt, [co, ci]), [1, 0]), [1, 1, ci, co]);
}

/**
 * Rows 0, sh, ... and columns 0, sw, ... of x: the pixels a strided 1x1 convolution reads, as a 1x1
 * VALID average pool (its output size ceil(H / sh) equals the convolution's). On wasm this runs in
 * XNNPACK, about 50x faster than StridedSlice.
 */
function subsample(s: KernelScope, x: TensorInfo, strides: [number, number]): TensorInfo {
  if (strides[0] === 1 && strides[1] === 1) return x;
  return s.run('AvgPool', { x }, { filterSize: [1, 1], strides, pad: 'valid' });
}

/**
 * t [M, C] transposed to [C, M], by way of [M + 16, C]: tfjs-backend-wasm's Transpose runs 5-20x
 * slower when its output rows lie a large power of two apart (M = 4096 ... 65536 here; cache-set
 * aliasing), more than the extra pad and slice cost.
 */
function transposeRows(s: KernelScope, t: TensorInfo): TensorInfo {
  const [m = 0, c = 0] = t.shape;
  const paddings = [
    [0, ROW_PAD],
    [0, 0],
  ];
  const padded = s.run('PadV2', { x: t }, { paddings, constantValue: 0 });
  return s.slice(s.transpose(padded, [1, 0]), [0, 0], [c, m]);
}
