/**
 * SAME-padded pooling composed for tfjs-backend-wasm (and cpu). Average pooling divides by the
 * number of real (unpadded) pixels in each window, as TensorFlow's does. tfjs's forward kernels
 * do too, but its AvgPoolGrad divides by the full window size, so the gradient would be wrong at
 * the borders; here the window sums come from a zero-padded depthwise convolution (whose forward
 * and gradient agree), rescaled per pixel.
 */
import type { Shape } from '../../shared/shape.ts';
import { tf } from '../tf.ts';
import type { Tensor, Tensor4D } from '../tf.ts';
import type { ConvPadding } from './backend-profile.ts';

/**
 * Padding before and after along one axis for SAME output `ceil(size / stride)` (TensorFlow's
 * rule).
 */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Max pooling whose gradient is taken at a shifted input: tfjs-backend-wasm 4.22's MaxPoolGrad
 * starts each window's search at `numeric_limits<float>::min()` (the smallest positive float), so
 * a window whose values are all <= 0 sends its gradient to element 0 of the tensor. Shifting by
 * `1 - min(x)` makes every value >= 1 and keeps each window's argmax (up to ties within rounding).
 */
export function shiftedMaxPool(kernel: number, stride: number): (x: Tensor4D) => Tensor4D {
  const pool = (x: Tensor4D): Tensor4D => tf.maxPool(x, kernel, stride, 'same');
  const attrs = { filterSize: kernel, strides: stride, pad: 'same' };
  return tf.customGrad((x, save) => {
    if (!isTensor4D(x) || typeof save !== 'function') throw new Error('maxPool: bad arguments');
    save([x]);
    const gradFunc = (dy: Tensor4D, saved: Tensor[]): Tensor4D => {
      const [input] = saved;
      if (input === undefined) throw new Error('maxPool: the input was not saved');
      const shifted = tf.add(tf.sub(input, tf.min(input)), 1).as4D(...x.shape);
      const output = pool(shifted);
      return tf.engine().runKernel<Tensor4D>('MaxPoolGrad', { dy, input: shifted, output }, attrs);
    };
    return { value: pool(x), gradFunc };
  });
}

function isTensor4D(x: unknown): x is Tensor4D {
  return x instanceof tf.Tensor && x.rank === 4;
}

/** The padding a profile gives a SAME depthwise convolution. */
export type PaddingRule = (x: Tensor4D, filter: Tensor4D, strides: [number, number]) => ConvPadding;

/**
 * Average pooling as a depthwise convolution with a constant 1/k^2 filter (zero padding adds
 * nothing), rescaled by k^2 / (real pixels) at the borders: on wasm, XNNPACK's depthwise kernels
 * and our composed input gradient run 10-20x faster than tfjs's AvgPoolGrad.
 */
export function depthwiseAvgPool(
  kernel: number,
  stride: number,
  input: Shape,
  padding: PaddingRule,
): (x: Tensor4D) => Tensor4D {
  const rows = samePadding(input.height, kernel, stride);
  const cols = samePadding(input.width, kernel, stride);
  const weights = new Float32Array(kernel * kernel * input.channels).fill(1 / (kernel * kernel));
  const filterShape: [number, number, number, number] = [kernel, kernel, input.channels, 1];
  const strides: [number, number] = [stride, stride];
  const pool = (x: Tensor4D): Tensor4D => {
    const filter = tf.tensor4d(weights, filterShape);
    return tf.depthwiseConv2d(x, filter, strides, padding(x, filter, strides));
  };
  if (rows[0] + rows[1] + cols[0] + cols[1] === 0) return pool;
  const rowCounts = windowCounts(input.height, kernel, stride, rows[0]);
  const colCounts = windowCounts(input.width, kernel, stride, cols[0]);
  const scale = new Float32Array(rowCounts.length * colCounts.length);
  rowCounts.forEach((r, i) => {
    colCounts.forEach((c, j) => {
      scale[i * colCounts.length + j] = (kernel * kernel) / (r * c);
    });
  });
  const shape: [number, number, number, number] = [1, rowCounts.length, colCounts.length, 1];
  return (x) => tf.mul(pool(x), tf.tensor4d(scale, shape));
}

/** How many real pixels each output window covers along one axis. */
function windowCounts(size: number, kernel: number, stride: number, before: number): number[] {
  const out = Math.ceil(size / stride);
  return Array.from({ length: out }, (_, i) => {
    const start = i * stride - before;
    return Math.min(start + kernel, size) - Math.max(start, 0);
  });
}
