/**
 * DepthwiseConv2dNative for kernels wider than 5x5 at stride 1 on wasm, as a sum of 5x5 tiles.
 * XNNPACK (in tfjs-backend-wasm 4.22) has fast depthwise kernels for up to 25 taps only; a 7x7
 * kernel falls back to a generic path about 6x slower per tap. Four zero-padded 5x5 tiles, each a
 * VALID convolution of a window of the padded input, summed, run about 2x faster.
 */
import { tf } from '../tf.ts';
import type { KernelFunc, TensorInfo } from '../tf.ts';
import { input, readConvBackpropAttrs, shape4 } from './conv-attrs.ts';
import { KernelScope } from './kernel-scope.ts';

const NAME = 'DepthwiseConv2dNative';
const TILE = 5;

type Params = Parameters<KernelFunc>[0];

/** Wraps the native kernel: wide stride-1 kernels are tiled, everything else goes to `native`. */
export function tiledDepthwiseConv2d(native: KernelFunc): KernelFunc {
  return (params: Params) => {
    const { inputs, attrs = {}, backend } = params;
    const x = input(NAME, inputs, 'x');
    const filter = input(NAME, inputs, 'filter');
    const { strides, dilations, pad, dimRoundingMode } = readConvBackpropAttrs(NAME, attrs);
    const [kh, kw] = shape4(NAME, filter);
    const unit = strides.concat(dilations).every((v) => v === 1);
    if (!unit || kh * kw <= TILE * TILE) return native(params);
    const info = tf.backend_util.computeConv2DInfo(
      shape4(NAME, x),
      shape4(NAME, filter),
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    const scope = KernelScope.of(backend, 'wasm');
    try {
      const out: [number, number] = [info.outHeight, info.outWidth];
      const before: [number, number] = [info.padInfo.top, info.padInfo.left];
      return scope.finish(sumOfTiles(scope, x, filter, out, before));
    } catch (err) {
      scope.dispose();
      throw err;
    }
  };
}

/** The convolution as a sum over 5x5 tiles of the filter, each over its window of the input. */
function sumOfTiles(
  s: KernelScope,
  x: TensorInfo,
  filter: TensorInfo,
  out: [number, number],
  before: [number, number],
): TensorInfo {
  const [n, , , c] = shape4(NAME, x);
  const [kh, kw, , m] = shape4(NAME, filter);
  const [tilesH, tilesW] = [Math.ceil(kh / TILE), Math.ceil(kw / TILE)];
  const rows = (tilesH - 1) * TILE + out[0] + TILE - 1;
  const cols = (tilesW - 1) * TILE + out[1] + TILE - 1;
  const padded = s.window(x, [-before[0], -before[1]], [rows, cols]);
  const parts: TensorInfo[] = [];
  for (let r0 = 0; r0 < kh; r0 += TILE) {
    for (let c0 = 0; c0 < kw; c0 += TILE) {
      const [th, tw] = [Math.min(TILE, kh - r0), Math.min(TILE, kw - c0)];
      const piece = s.slice(filter, [r0, c0, 0, 0], [th, tw, c, m]);
      const paddings = [
        [0, TILE - th],
        [0, TILE - tw],
        [0, 0],
        [0, 0],
      ];
      const tile = s.run('PadV2', { x: piece }, { paddings, constantValue: 0 });
      const size = [n, out[0] + TILE - 1, out[1] + TILE - 1, c];
      const window = s.slice(padded, [0, r0, c0, 0], size);
      const attrs = { strides: [1, 1], pad: 'valid', dilations: [1, 1] };
      parts.push(s.run(NAME, { x: window, filter: tile }, attrs));
      s.drop(window);
    }
  }
  return parts.reduce((sum, part) => s.run('Add', { a: sum, b: part }));
}
