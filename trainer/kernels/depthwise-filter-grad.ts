/**
 * The filter gradient of a depthwise convolution (multiplier 1) tap by tap:
 * dW[i,j,c] = sum over b,y,x of xpad[b, y*sh+i, x*sw+j, c] * dy[b,y,x,c]. Tap (i, j) reads phase
 * (i mod sh, j mod sw) of xpad (every sh-th row and sw-th column from there) shifted by
 * (i div sh, j div sw). With each phase and dy zero-padded to one [B, Hq, Wq, C] grid and flattened
 * to rows of C, that shift is the row offset (i div sh)*Wq + (j div sw): a contiguous slice, a
 * product with dy and a column sum (an average pool, times the row count). Every step is a plain pass over memory, unlike one depthwise
 * convolution with a whole image as its filter, which XNNPACK runs through a slow generic path.
 */
import type { TensorInfo } from '../tf.ts';
import type { Shape4 } from './conv-attrs.ts';
import { shape4 } from './conv-attrs.ts';
import type { KernelScope } from './kernel-scope.ts';

const NAME = 'DepthwiseConv2dNativeBackpropFilter';

/** Elements of one tap's operands (8 MB): larger ones fall out of cache and tap by tap loses. */
const CACHED_ELEMENTS = 2 ** 21;

/**
 * Whether the tap-by-tap gradient beats the one-convolution form on wasm. Each tap passes over
 * the whole padded grid several times, so it wins while the grid is at most 1.5x dy and a tap's
 * tensors stay in cache (3x3 to 7x7 kernels on 16-32 pixel outputs of up to 32 channels at batch
 * 64; bench/conv-grads.ts), and loses on small images with wide kernels and on large tensors.
 */
export function tapwiseIsFaster(
  info: { outHeight: number; outWidth: number; strideHeight: number; strideWidth: number },
  x: Shape4,
  filterShape: Shape4,
): boolean {
  const out: [number, number] = [info.outHeight, info.outWidth];
  const [hq, wq] = phaseGrid(out, filterShape, [info.strideHeight, info.strideWidth]);
  const grid = hq * wq;
  return grid <= 1.5 * out[0] * out[1] && x[0] * grid * filterShape[2] <= CACHED_ELEMENTS;
}

/**
 * dW [kh, kw, C, 1] of a depthwise convolution of x with multiplier 1, given dy, the strides and
 * the padding before the first row and column.
 */
export function tapwiseDepthwiseFilterGrad(
  s: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: Shape4,
  strides: [number, number],
  padBefore: [number, number],
): TensorInfo {
  const [kh, kw, c] = filterShape;
  const [sh, sw] = strides;
  const [b, ho, wo] = shape4(NAME, dy);
  const [hq, wq] = phaseGrid([ho, wo], filterShape, strides);
  const rows = b * hq * wq;
  const r = rows - (Math.ceil(kh / sh) - 1) * wq - (Math.ceil(kw / sw) - 1);
  const xp = s.window(x, [-padBefore[0], -padBefore[1]], [hq * sh, wq * sw]);
  const wide = s.reshape(xp, [b, hq, sh, wq, sw * c]);
  const phases = new Map<number, TensorInfo>();
  const phase = (a: number, p: number): TensorInfo => {
    const key = a * sw + p;
    const known = phases.get(key);
    if (known !== undefined) return known;
    const grid = s.slice(wide, [0, 0, a, 0, p * c], [b, hq, 1, wq, c]);
    const flat = s.reshape(grid, [rows, c]);
    phases.set(key, flat);
    return flat;
  };
  const d = s.slice(s.reshape(s.window(dy, [0, 0], [hq, wq]), [rows, c]), [0, 0], [r, c]);
  const taps = kh * kw;
  let means: TensorInfo | null = null;
  for (let t = 0; t < taps; t++) {
    const [i, j] = [Math.floor(t / kw), t % kw];
    const offset = Math.floor(i / sh) * wq + Math.floor(j / sw);
    const shifted = s.slice(phase(i % sh, j % sw), [offset, 0], [r, c]);
    const product = s.run('Multiply', { a: shifted, b: d });
    s.drop(shifted);
    const row = s.run('PadV2', { x: columnMean(s, product) }, rowAt(t, taps));
    s.drop(product);
    means = means === null ? row : s.run('Add', { a: means, b: row });
  }
  if (means === null) throw new Error(`${NAME}: empty filter`);
  const scale = s.run('Fill', {}, { shape: [], value: r, dtype: 'float32' });
  return s.reshape(s.run('Multiply', { a: means, b: scale }), [kh, kw, c, 1]);
}

/**
 * Rows and columns of the grid shared by dy and each phase of xpad (the pixels that one residue
 * of the strides reads): dy's size plus the largest tap offset within a phase.
 */
function phaseGrid(
  out: [number, number],
  filterShape: Shape4,
  strides: [number, number],
): [number, number] {
  return [
    out[0] + Math.ceil(filterShape[0] / strides[0]) - 1,
    out[1] + Math.ceil(filterShape[1] / strides[1]) - 1,
  ];
}

/** PadV2 attributes that put a [1, C] row at row `t` of a [taps, C] tensor. */
function rowAt(t: number, taps: number) {
  return {
    paddings: [
      [t, taps - 1 - t],
      [0, 0],
    ],
    constantValue: 0,
  };
}

/**
 * The mean of each column of an [R, C] tensor, as a [1, C] tensor: an R x 1 VALID average pool,
 * which XNNPACK runs at memory speed (a column Sum transposes first; a [1, R] x [R, C] product
 * repacks its right operand).
 */
function columnMean(s: KernelScope, t: TensorInfo): TensorInfo {
  const [r = 0, c = 0] = t.shape;
  const image = s.reshape(t, [1, r, 1, c]);
  const mean = s.run(
    'AvgPool',
    { x: image },
    { filterSize: [r, 1], strides: [1, 1], pad: 'valid' },
  );
  return s.reshape(mean, [1, c]);
}
