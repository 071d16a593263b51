/**
 * Gradient checks of every conv-like primitive of trainer/network/conv-ops.ts on the cpu and wasm
 * backends (native kernels, and with the composed kernels of trainer/kernels/ in their place),
 * against central finite differences and against the cpu backend's native kernels. All data are
 * small nonzero integers and the loss is sum(op(x, f) * r), linear in x and in f: every sum is then
 * exact in float32 and a central difference with step 1 equals the gradient exactly, so any wrong
 * gradient is off by at least 1 and fails TOL.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.ts';
import { conv2d, depthwiseConv2d, dilatedConv2d } from '../../trainer/network/conv-ops.ts';
import { BackendUnavailableError, initBackend, tf } from '../../trainer/tf.ts';
import type { KernelConfig, Tensor, Tensor4D } from '../../trainer/tf.ts';
import { CONV_BACKPROP_KERNELS } from '../../trainer/kernels/conv-backprops.ts';
import type { ConvBackpropKernel } from '../../trainer/kernels/conv-backprops.ts';
import { registerConvGradKernels } from '../../trainer/kernels/wasm-conv-grads.ts';

type Shape4 = [number, number, number, number];
type Prim = 'conv' | 'dilated' | 'depthwise';
interface Case {
  readonly name: string;
  readonly prim: Prim;
  readonly filter: Shape4;
  readonly strides: [number, number];
}
interface Data {
  readonly x: Float32Array;
  readonly f: Float32Array;
  readonly r: Float32Array;
  readonly outShape: Shape4;
}
interface Result {
  readonly y: Float32Array;
  readonly gx: Float32Array;
  readonly gf: Float32Array;
}

const TOL = 1e-3;
const X: Shape4 = [2, 7, 8, 3]; // odd and even sizes: SAME padding is asymmetric on one axis
// prettier-ignore
const STRIDES: [number, number][] = [[1, 1], [2, 2], [1, 2], [2, 1]];
const SQUARE = STRIDES.slice(0, 2);
// prettier-ignore
const KERNELS: [number, number][] = [[1, 1], [3, 3], [1, 3], [3, 1], [1, 7], [7, 1]];
const mk = (prim: Prim, filter: Shape4, strides: [number, number]): Case => ({
  name: `${prim} ${filter.join('x')} stride ${strides.join(',')}`,
  prim,
  filter,
  strides,
});
const CASES: Case[] = [
  ...KERNELS.flatMap(([kh, kw]) => STRIDES.map((s) => mk('conv', [kh, kw, 3, 4], s))),
  ...STRIDES.map((s) => mk('dilated', [3, 3, 3, 4], s)),
  mk('dilated', [2, 2, 3, 4], [2, 2]), // even kernel: the subsample-after path
  ...[3, 5, 7].flatMap((k) => SQUARE.map((s) => mk('depthwise', [k, k, 3, 1], s))),
  mk('depthwise', [3, 3, 3, 1], [1, 2]),
  mk('depthwise', [3, 3, 3, 2], [2, 2]), // channel multiplier 2
];

function op(c: Case, x: Tensor4D, f: Tensor4D): Tensor4D {
  if (c.prim === 'conv') return conv2d(x, f, c.strides);
  if (c.prim === 'dilated') return dilatedConv2d(x, f, [2, 2], c.strides);
  return depthwiseConv2d(x, f, c.strides);
}

/** tfjs's own kernels: native gradients for conv and depthwise; for dilated, a forward only. */
function nativeOp(c: Case, x: Tensor4D, f: Tensor4D): Tensor4D {
  if (c.prim === 'conv') return tf.conv2d(x, f, c.strides, 'same');
  if (c.prim === 'depthwise') return tf.depthwiseConv2d(x, f, c.strides, 'same');
  const full = tf.conv2d(x, f, 1, 'same', 'NHWC', 2);
  return as4(tf.stridedSlice(full, [0, 0, 0, 0], full.shape, [1, ...c.strides, 1]));
}

function as4(t: Tensor): Tensor4D {
  const [a = 0, b = 0, c = 0, d = 0] = t.shape;
  return t.as4D(a, b, c, d);
}

function makeData(c: Case, seed: number): Data {
  const rng = createRng(seed);
  const ints = (n: number) =>
    Float32Array.from({ length: n }, () => [-2, -1, 1, 2][rng.int(4)] ?? 1);
  const [b, h, w, ci] = X;
  const co = c.prim === 'depthwise' ? ci * c.filter[3] : c.filter[3];
  const outShape: Shape4 = [b, Math.ceil(h / c.strides[0]), Math.ceil(w / c.strides[1]), co];
  return { x: ints(size(X)), f: ints(size(c.filter)), r: ints(size(outShape)), outShape };
}

/** Forward output and (if `grads`) the gradients of sum(op(x, f) * r) on the active backend. */
function evaluate(c: Case, d: Data, fn: typeof op = op, grads = true): Result {
  return tf.tidy(() => {
    const [x, f] = [tf.tensor4d(d.x, X), tf.tensor4d(d.f, c.filter)];
    const r = tf.tensor4d(d.r, d.outShape);
    const loss = (a: Tensor, b: Tensor) =>
      tf.sum(tf.mul(fn(c, a.as4D(...X), b.as4D(...c.filter)), r));
    const [gx, gf] = grads ? tf.grads(loss)([x, f]) : [];
    const y = fn(c, x, f);
    const none = new Float32Array(0);
    return { y: values(y), gx: gx ? values(gx) : none, gf: gf ? values(gf) : none };
  });
}

/** Central differences (step 1) of the loss w.r.t. every element of x, in one batched forward. */
function fdInput(c: Case, d: Data): Float32Array {
  const k = d.x.length;
  const xs = new Float32Array(2 * k * k);
  for (let p = 0; p < 2 * k; p++) {
    xs.set(d.x, p * k);
    xs[p * k + (p >> 1)] = (xs[p * k + (p >> 1)] ?? 0) + (p % 2 === 0 ? 1 : -1);
  }
  return tf.tidy(() => {
    const y = op(c, tf.tensor4d(xs, [2 * k * X[0], X[1], X[2], X[3]]), tf.tensor4d(d.f, c.filter));
    const losses = tf.sum(tf.mul(y.reshape([2 * k, -1]), tf.tensor1d(d.r)), 1);
    return centralDifferences(losses);
  });
}

/** Central differences w.r.t. every filter element: all perturbed filters stacked on axis 3. */
function fdFilter(c: Case, d: Data): Float32Array {
  const k = d.f.length;
  const n = c.filter[3];
  const fs = new Float32Array(2 * k * k);
  for (let e = 0; e < k; e++) {
    for (let p = 0; p < 2 * k; p++) {
      const delta = e === p >> 1 ? (p % 2 === 0 ? 1 : -1) : 0;
      fs[(Math.floor(e / n) * 2 * k + p) * n + (e % n)] = (d.f[e] ?? 0) + delta;
    }
  }
  return tf.tidy(() => {
    const stacked = tf.tensor4d(fs, [c.filter[0], c.filter[1], c.filter[2], 2 * k * n]);
    const y = op(c, tf.tensor4d(d.x, X), stacked);
    const groups = c.prim === 'depthwise' ? X[3] : 1; // depthwise outputs: [c][perturbation][m]
    const [b, ho, wo] = d.outShape;
    const shaped = y.reshape([b, ho, wo, groups, 2 * k, n]);
    const r = tf.tensor(d.r, [b, ho, wo, groups, 1, n]);
    return centralDifferences(tf.sum(tf.mul(shaped, r), [0, 1, 2, 3, 5]));
  });
}

function centralDifferences(losses: Tensor): Float32Array {
  const l = values(losses);
  return Float32Array.from(
    { length: l.length / 2 },
    (_, i) => ((l[2 * i] ?? 0) - (l[2 * i + 1] ?? 0)) / 2,
  );
}

function values(t: Tensor): Float32Array {
  return Float32Array.from(t.dataSync());
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? Number.NaN))), 0);
}

const nativeInstalled = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((pkg) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
});

/** An install-tensorflow root with nothing installed in it. */
const NO_NATIVE = { NAS_NATIVE_DIR: mkdtempSync(join(tmpdir(), 'no-native-')) };

describe('initBackend', () => {
  it.skipIf(nativeInstalled)('auto picks wasm when no native package is installed', async () => {
    const info = await initBackend('auto', { env: NO_NATIVE });
    expect(info).toMatchObject({ choice: 'auto', loaded: 'wasm', backend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    expect(info.device).toMatch(/^cpu \(wasm, \d+ threads?, /);
    expect(info.skipped.join('\n')).toMatch(/tfjs-node-gpu[\s\S]*tfjs-node/);
  });

  it.skipIf(nativeInstalled)('an explicit node-gpu fails and names the package', async () => {
    const attempt = initBackend('node-gpu', { env: NO_NATIVE });
    await expect(attempt).rejects.toThrow(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(
      /"node-gpu".*@tensorflow\/tfjs-node-gpu could not be imported/,
    );
    await expect(attempt).rejects.toThrow(
      `\`nas-trainer install-tensorflow --gpu\` has not installed it in ${NO_NATIVE.NAS_NATIVE_DIR}/native/tfjs-node-gpu-4.22.0-napi8`,
    );
  });
});

const CONFIGS: { name: string; backend: 'cpu' | 'wasm'; replace: readonly ConvBackpropKernel[] }[] =
  [
    { name: 'cpu', backend: 'cpu', replace: [] },
    { name: 'cpu, all backprops composed', backend: 'cpu', replace: CONV_BACKPROP_KERNELS },
    { name: 'wasm', backend: 'wasm', replace: [] },
    {
      name: 'wasm, Conv2DBackpropInput composed',
      backend: 'wasm',
      replace: ['Conv2DBackpropInput'],
    },
  ];

describe.each(CONFIGS)('conv primitives on $name', ({ backend, replace }) => {
  const refs = new Map<string, Result>();
  const natives: KernelConfig[] = [];
  beforeAll(async () => {
    await initBackend('cpu');
    CASES.forEach((c, i) => {
      refs.set(c.name, evaluate(c, makeData(c, i), nativeOp, c.prim !== 'dilated'));
    });
    await initBackend(backend);
    registerConvGradKernels(backend);
    natives.push(...replace.flatMap((k) => tf.getKernel(k, backend) ?? []));
    expect(registerConvGradKernels(backend, { replace }).sort()).toEqual([...replace].sort());
  });
  afterAll(() => {
    for (const native of natives) {
      tf.unregisterKernel(native.kernelName, backend);
      tf.registerKernel(native);
    }
  });

  it.each(CASES)('$name: gradients equal central differences', (c) => {
    const d = makeData(c, CASES.indexOf(c));
    const got = evaluate(c, d);
    expect(maxAbsDiff(got.gx, fdInput(c, d))).toBeLessThan(TOL);
    expect(maxAbsDiff(got.gf, fdFilter(c, d))).toBeLessThan(TOL);
    const ref = refs.get(c.name);
    expect(ref).toBeDefined();
    if (ref === undefined) return;
    expect(maxAbsDiff(got.y, ref.y)).toBeLessThan(TOL); // forwards against tfjs's own kernels
    if (c.prim !== 'dilated') {
      expect(maxAbsDiff(got.gx, ref.gx)).toBeLessThan(TOL);
      expect(maxAbsDiff(got.gf, ref.gf)).toBeLessThan(TOL);
    }
  });

  it.each(CASES)('$name: forward and backward free every tensor', (c) => {
    const x = tf.ones(X).as4D(...X);
    const f = tf.ones(c.filter).as4D(...c.filter);
    const before = { tensors: tf.memory().numTensors, data: tf.backend().numDataIds() };
    const grads = tf.grads((a: Tensor, b: Tensor) =>
      tf.sum(op(c, a.as4D(...X), b.as4D(...c.filter))),
    );
    tf.dispose(grads([x, f]));
    expect({ tensors: tf.memory().numTensors, data: tf.backend().numDataIds() }).toEqual(before);
    tf.dispose([x, f]);
  });
});

describe('the gradient check', () => {
  it('rejects a gradient that is wrong in one element by one unit', async () => {
    await initBackend('cpu');
    const c = CASES.find((k) => k.prim === 'conv' && k.filter[0] === 3) ?? CASES[0];
    if (c === undefined) throw new Error('no case');
    const d = makeData(c, 1);
    const wrong = evaluate(c, d).gx;
    wrong[17] = (wrong[17] ?? 0) + 1;
    expect(maxAbsDiff(wrong, fdInput(c, d))).toBeGreaterThan(TOL);
  });
});
