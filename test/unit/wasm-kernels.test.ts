/**
 * The kernels of trainer/kernels/ that replace or bypass slow tfjs-backend-wasm ones, checked
 * against tfjs's own: the heap copies (Slice, SplitV, Concat, copy-free Identity) and the tiled
 * wide depthwise convolution against the native wasm kernels; the 1x1 filter gradient as a matrix
 * product and the tap-by-tap depthwise filter gradient, at strides 1 and 2, on cpu and wasm,
 * against tfjs-backend-cpu's native backprops. Data are small integers, so every sum is exact.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.ts';
import { tapwiseDepthwiseFilterGrad } from '../../trainer/kernels/depthwise-filter-grad.ts';
import { KernelScope } from '../../trainer/kernels/kernel-scope.ts';
import { pointwiseFilterGrad } from '../../trainer/kernels/pointwise-grads.ts';
import { registerConvGradKernels } from '../../trainer/kernels/wasm-conv-grads.ts';
import { registerWasmKernels, WASM_REPLACEMENTS } from '../../trainer/kernels/wasm-kernels.ts';
import { initBackend, tf } from '../../trainer/tf.ts';
import type { KernelConfig, NamedAttrMap, Tensor, TensorInfo } from '../../trainer/tf.ts';

type Shape4 = [number, number, number, number];

function ints(shape: readonly number[], seed: number): Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.int(7) - 3),
    [...shape],
  );
}

function run(kernel: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs);
}

/** Runs `body` in a KernelScope of the active backend and returns its result as a tensor. */
function scoped(body: (s: KernelScope) => TensorInfo): Tensor {
  const s = KernelScope.of(tf.backend(), tf.getBackend());
  return tf.engine().makeTensorFromTensorInfo(s.finish(body(s)));
}

function expectSame(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
}

const natives: KernelConfig[] = [];

/** Puts tfjs-backend-wasm's own kernels back in place of ours. */
function restoreNatives(): void {
  for (const native of natives) {
    tf.unregisterKernel(native.kernelName, 'wasm');
    tf.registerKernel(native);
  }
}

/** Every case computed by the native wasm kernels, then again with ours registered. */
function nativeThenOurs(cases: (() => Tensor | Tensor[])[]): { native: Tensor[]; ours: Tensor[] } {
  const flat = (f: () => Tensor | Tensor[]) => [f()].flat();
  restoreNatives();
  const native = cases.flatMap(flat);
  expect(registerWasmKernels().sort()).toEqual(Object.keys(WASM_REPLACEMENTS).sort());
  return { native, ours: cases.flatMap(flat) };
}

describe('wasm replacement kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    natives.push(...Object.keys(WASM_REPLACEMENTS).flatMap((k) => tf.getKernel(k, 'wasm') ?? []));
    return restoreNatives;
  });

  it('Slice, SplitV, Concat and Identity equal the native kernels, for every dtype', () => {
    const x = ints([3, 5, 6, 7], 1);
    const cases = [
      () => tf.slice(x, [1, 2, 0, 3], [2, 3, -1, 4]),
      () => tf.slice(x, [0, 1, 1, 0], [-1, 3, 4, -1]),
      () => tf.slice(x.toInt(), [2, 0, 0, 0], [1, -1, -1, -1]),
      () => tf.slice(tf.greater(x, 0), [0, 0, 2, 1], [3, 5, 3, 5]),
      () => tf.split(x, [2, 1, 4], 3),
      () => tf.split(x, [1, 4], 1),
      () => tf.concat([x, tf.neg(x), x.slice([0, 0, 0, 0], [3, 5, 6, 2])], 3),
      () => tf.concat([x.toInt(), x.toInt()], 0),
      () => tf.clone(x),
    ];
    const { native, ours } = nativeThenOurs(cases);
    ours.forEach((t, i) => expectSame(t, native[i] ?? t));
  });

  it('Slice equals a plain-JavaScript slice for random windows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
        (shape, picks) => {
          const begin = shape.map((d, i) => (picks[i] ?? 0) % d);
          const size = shape.map((d, i) => 1 + ((picks[i + 5] ?? 0) % (d - (begin[i] ?? 0))));
          const n = shape.reduce((a, b) => a * b, 1);
          const x = tf.tensor(
            Float32Array.from({ length: n }, (_, i) => i),
            shape,
          );
          const want = tf.buffer(size);
          const at = (idx: number[]) => idx.reduce((o, v, a) => o * (shape[a] ?? 1) + v, 0);
          for (let i = 0; i < want.size; i++) {
            const idx = want.indexToLoc(i);
            want.values[i] = at(idx.map((v, a) => v + (begin[a] ?? 0)));
          }
          expect(Array.from(tf.slice(x, begin, size).dataSync())).toEqual(Array.from(want.values));
          x.dispose();
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a clone outlives its source, and nothing leaks', () => {
    registerWasmKernels();
    const before = tf.backend().numDataIds();
    const x = ints([2, 3], 2);
    const y = tf.clone(x);
    const want = Array.from(x.dataSync());
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(want);
    y.dispose();
    expect(tf.backend().numDataIds()).toBe(before);
  });

  it('wide depthwise convolutions (tiled) equal the native kernel', () => {
    const x = ints([2, 9, 11, 3], 3);
    const f7 = ints([7, 7, 3, 1], 4);
    const f9x6 = ints([9, 6, 3, 2], 5);
    const cases = [
      () => tf.depthwiseConv2d(x.as4D(2, 9, 11, 3), f7.as4D(7, 7, 3, 1), 1, 'same'),
      () => tf.depthwiseConv2d(x.as4D(2, 9, 11, 3), f7.as4D(7, 7, 3, 1), 1, 'valid'),
      () => tf.depthwiseConv2d(x.as4D(2, 9, 11, 3), f9x6.as4D(9, 6, 3, 2), 1, 'same'),
      () => tf.depthwiseConv2d(x.as4D(2, 9, 11, 3), f7.as4D(7, 7, 3, 1), 2, 'same'),
    ];
    const { native, ours } = nativeThenOurs(cases);
    ours.forEach((t, i) => expectSame(t, native[i] ?? t));
  });
});

interface FilterCase {
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: [number, number];
}

const POINTWISE: FilterCase[] = [
  { x: [2, 7, 8, 3], filter: [1, 1, 3, 5], strides: [1, 1] },
  { x: [2, 7, 8, 5], filter: [1, 1, 5, 3], strides: [2, 2] },
  { x: [1, 6, 7, 4], filter: [1, 1, 4, 2], strides: [1, 2] },
];
const DEPTHWISE: FilterCase[] = [3, 5, 7].flatMap((k) =>
  [
    [1, 1],
    [2, 2],
    [2, 1],
  ].map(([sh = 1, sw = 1]): FilterCase => ({
    x: [2, 9, 8, 3],
    filter: [k, k, 3, 1],
    strides: [sh, sw],
  })),
);

/** The gradient kernels' results on the cpu backend's native kernels, by case. */
function references(kernel: string, cases: FilterCase[]): Tensor[] {
  return cases.map((c, i) => {
    const x = ints(c.x, 10 + i);
    const dy = ints([c.x[0], ...outSize(c), outChannels(c)], 20 + i);
    return run(kernel, { x, dy }, { ...attrs(c), filterShape: c.filter });
  });
}

function outSize(c: FilterCase): [number, number] {
  return [Math.ceil(c.x[1] / c.strides[0]), Math.ceil(c.x[2] / c.strides[1])];
}

function outChannels(c: FilterCase): number {
  return c.filter[0] === 1 && c.filter[1] === 1 ? c.filter[3] : c.filter[2] * c.filter[3];
}

function attrs(c: FilterCase): NamedAttrMap {
  return { strides: c.strides, pad: 'same', dilations: 1, dataFormat: 'NHWC' };
}

describe.each(['cpu', 'wasm'] as const)('filter gradients of new paths on %s', (backend) => {
  const refs = { pointwise: [] as Tensor[], depthwise: [] as Tensor[] };
  beforeAll(async () => {
    await initBackend('cpu');
    refs.pointwise = references('Conv2DBackpropFilter', POINTWISE);
    refs.depthwise = references('DepthwiseConv2dNativeBackpropFilter', DEPTHWISE);
    await initBackend(backend);
    registerConvGradKernels(backend);
  });

  it.each(POINTWISE.map((c, i) => ({ ...c, i })))(
    '1x1 $x -> $filter, strides $strides: one matrix product',
    (c) => {
      const x = ints(c.x, 10 + c.i);
      const dy = ints([c.x[0], ...outSize(c), c.filter[3]], 20 + c.i);
      const got = scoped((s) => pointwiseFilterGrad(s, x, dy, c.strides));
      expectSame(got.reshape(c.filter), refs.pointwise[c.i] ?? got);
      const viaKernel = run(
        'Conv2DBackpropFilter',
        { x, dy },
        { ...attrs(c), filterShape: c.filter },
      );
      expectSame(viaKernel, refs.pointwise[c.i] ?? got);
    },
  );

  it.each(DEPTHWISE.map((c, i) => ({ ...c, i })))(
    'depthwise $filter, strides $strides: tap by tap',
    (c) => {
      const x = ints(c.x, 10 + c.i);
      const dy = ints([c.x[0], ...outSize(c), c.filter[2]], 20 + c.i);
      const info = tf.backend_util.computeConv2DInfo(
        c.x,
        c.filter,
        c.strides,
        1,
        'same',
        undefined,
        true,
      );
      const before: [number, number] = [info.padInfo.top, info.padInfo.left];
      const got = scoped((s) => tapwiseDepthwiseFilterGrad(s, x, dy, c.filter, c.strides, before));
      const want = refs.depthwise[c.i] ?? got;
      expect(got.shape).toEqual(want.shape);
      const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
      expect(diff).toBeLessThan(1e-3); // exact sums, divided and multiplied by the pixel count
    },
  );
});
