// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * The network builder's own layers against plain-JavaScript references, on the cpu and wasm
 * backends: SAME pooling (average excluding padding, max) forward and gradient, including windows
 * whose values are all negative (tfjs-backend-wasm 4.22's MaxPoolGrad gets those wrong); the
 * factorized reduction's two pixel grids; the VALID convolution; drop path's schedule; seeds.
 */
import { describe, expect, it } from 'vitest';
import { buildAdjustment } from '../../trainer/network/adjustment-layer.ts';
import { BATCH_NORM_SETTINGS, batchNorm } from '../../trainer/network/batch-norm.ts';
import { validConv2d } from '../../trainer/network/conv-ops.ts';
import { dropPathKeep } from '../../trainer/network/drop-path.ts';
import type { ForwardContext } from '../../trainer/network/layer.ts';
import { ParamStore } from '../../trainer/network/param-store.ts';
import { avgPool, maxPool, samePadding } from '../../trainer/network/pooling.ts';
import { deriveSeed } from '../../trainer/network/seeds.ts';
import { initBackend, tf } from '../../trainer/tf.ts';
import type { ConcreteBackend, Tensor4D } from '../../trainer/tf.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

type Shape4 = [number, number, number, number];
const EVAL: ForwardContext = { training: false, progress: 0, recompute: false, nextSeed: () => 0 };

/** Values of a [b, h, w, c] tensor from a deterministic formula, distinct within every window. */
function values(shape: Shape4, offset: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) * 3 + offset);
}

/** Pooling forward and gradient of sum(pool(x) * r), SAME padding, by direct summation. */
function poolReference(kind: 'avg' | 'max', x: Float32Array, shape: Shape4, k: number, s: number) {
  const [b, h, w, c] = shape;
  const [ho, wo] = [Math.ceil(h / s), Math.ceil(w / s)];
  const [top] = samePadding(h, k, s);
  const [left] = samePadding(w, k, s);
  const y = new Float32Array(b * ho * wo * c);
  const r = Float32Array.from(y, (_, i) => ((i * 7) % 5) - 2);
  const g = new Float32Array(x.length);
  const at = (n: number, i: number, j: number, ch: number, H: number, W: number) =>
    ((n * H + i) * W + j) * c + ch;
  for (let n = 0; n < b; n++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let ch = 0; ch < c; ch++) {
          const window: number[] = [];
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++) {
              const [yy, xx] = [i * s - top + di, j * s - left + dj];
              if (yy >= 0 && yy < h && xx >= 0 && xx < w) window.push(at(n, yy, xx, ch, h, w));
            }
          const o = at(n, i, j, ch, ho, wo);
          const vals = window.map((p) => x[p] ?? 0);
          const best = window[vals.indexOf(Math.max(...vals))] ?? 0;
          y[o] = kind === 'max' ? (x[best] ?? 0) : vals.reduce((a, v) => a + v, 0) / vals.length;
          for (const p of kind === 'max' ? [best] : window)
            g[p] = (g[p] ?? 0) + (r[o] ?? 0) / (kind === 'max' ? 1 : window.length);
        }
  return { y, r, g, outShape: [b, ho, wo, c] as Shape4 };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? Number.NaN)));
  return m;
}

const POOL_CASES = (['avg', 'max'] as const).flatMap((kind) =>
  [3, 5, 7].flatMap((k) =>
    [1, 2].flatMap((s) => [0, -4].map((offset) => ({ kind, k, s, offset }))),
  ),
);

/** cpu and wasm always; tensorflow too when it is the backend under test (npm run test:native). */
const native = TEST_BACKEND === 'wasm' || TEST_BACKEND === 'cpu' ? [] : [TEST_BACKEND];
const nativeLoads = native.length > 0 && (await loadTestBackend(TEST_BACKEND, false)) !== null;
const LAYER_BACKENDS: readonly ConcreteBackend[] = ['cpu', 'wasm', ...(nativeLoads ? native : [])];

describe.each(LAYER_BACKENDS)('layers on %s', (backend) => {
  it.each(POOL_CASES)(
    '$kind pool $k x $k stride $s (offset $offset): forward and gradient',
    async (c) => {
      await initBackend(backend);
      const shape: Shape4 = [2, 7, 8, 3];
      const x = values(shape, c.offset);
      const ref = poolReference(c.kind, x, shape, c.k, c.s);
      const layer =
        c.kind === 'avg'
          ? avgPool(c.k, c.s, { height: 7, width: 8, channels: 3 })
          : maxPool(c.k, c.s);
      const [y, g] = tf.tidy(() => {
        const xt = tf.tensor4d(x, shape);
        const r = tf.tensor4d(ref.r, ref.outShape);
        const grad = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer(a.as4D(...shape), EVAL), r)));
        return [layer(xt, EVAL).dataSync(), grad(xt).dataSync()];
      });
      expect(maxAbsDiff(y, ref.y)).toBeLessThan(1e-5);
      expect(maxAbsDiff(g, ref.g)).toBeLessThan(1e-5);
    },
  );

  it('factorized reduction: path 1 reads pixels (2r, 2c), path 2 pixels (2r+1, 2c+1) or zero', async () => {
    await initBackend(backend);
    const store = new ParamStore(1);
    const input = { height: 5, width: 6, channels: 2 };
    const output = { height: 3, width: 3, channels: 2 };
    const bn = BATCH_NORM_SETTINGS.cifar;
    const adjustment = { kind: 'factorized_reduction', relu: false } as const;
    const layer = buildAdjustment(store, 'fr', adjustment, input, output, bn);
    store.get('fr/path_1/conv')?.variable.assign(tf.tensor4d([1, 0], [1, 1, 2, 1]));
    store.get('fr/path_2/conv')?.variable.assign(tf.tensor4d([0, 1], [1, 1, 2, 1]));
    const shape: Shape4 = [1, 5, 6, 2];
    const x = values(shape, 0);
    const y = tf.tidy(() => layer(tf.tensor4d(x, shape), EVAL).dataSync());
    const scale = 1 / Math.sqrt(1 + bn.epsilon);
    const expected = Array.from({ length: 18 }, (_, i) => {
      const [r, col, ch] = [Math.floor(i / 6), Math.floor(i / 2) % 3, i % 2];
      const [yy, xx] = [2 * r + ch, 2 * col + ch];
      return yy < 5 && xx < 6 ? (x[(yy * 6 + xx) * 2 + ch] ?? 0) * scale : 0;
    });
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    store.dispose();
  });

  it('validConv2d equals tfjs VALID conv on cpu (the ImageNet stem: 3x3 stride 2)', async () => {
    await initBackend('cpu');
    const [xs, fs]: [Shape4, Shape4] = [
      [2, 9, 10, 3],
      [3, 3, 3, 4],
    ];
    const ref = tf.tidy(() =>
      tf
        .conv2d(tf.tensor4d(values(xs, 0), xs), tf.tensor4d(values(fs, 1), fs), 2, 'valid')
        .dataSync(),
    );
    await initBackend(backend);
    const y = tf.tidy(() => {
      const x: Tensor4D = tf.tensor4d(values(xs, 0), xs);
      return validConv2d(x, tf.tensor4d(values(fs, 1), fs), [2, 2]);
    });
    expect(y.shape).toEqual([2, 4, 4, 4]);
    expect(maxAbsDiff(y.dataSync(), ref)).toBeLessThan(1e-4);
    y.dispose();
  });
});

describe.each(LAYER_BACKENDS.filter((b) => b !== 'cpu'))(
  'batch norm in training mode on %s',
  (backend) => {
    const shape: Shape4 = [2, 3, 4, 3];
    const textbook = (a: Tensor4D, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b);
    };

    it('has the gradients of the textbook formula and updates the averages once per call', async () => {
      await initBackend(backend);
      const store = new ParamStore(1);
      const layer = batchNorm(store, 'bn', 3, { momentum: 0.9, epsilon: 1e-3 });
      const param = (n: string) => {
        const v = store.get(`bn/${n}`)?.variable;
        if (v === undefined) throw new Error(`no bn/${n}`);
        return v;
      };
      const [gamma, beta, movingMean] = [param('gamma'), param('beta'), param('moving_mean')];
      gamma.assign(tf.tensor1d([0.5, 2, -1]));
      const x = tf.tensor4d(values(shape, 1), shape);
      const r = tf.tensor4d(values(shape, 0.5).reverse(), shape);
      const train: ForwardContext = { ...EVAL, training: true };
      const gradsOf = (f: (a: Tensor4D, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
        tf.tidy(() =>
          tf
            .grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
              tf.sum(tf.mul(f(a.as4D(...shape), g, b), r)),
            )([x, gamma, beta])
            .map((t) => t.dataSync()),
        );
      // Our layer reads gamma and beta itself: the same variables tf.grads differentiates.
      const got = gradsOf((a) => layer(a, train));
      const want = gradsOf(textbook);
      got.forEach((g, i) => expect(maxAbsDiff(g, want[i] ?? [])).toBeLessThan(1e-4));
      const batchMean = tf.tidy(() => tf.moments(x, [0, 1, 2]).mean.dataSync());
      movingMean.assign(tf.zeros([3]));
      tf.tidy(() => layer(x, train));
      expect(
        maxAbsDiff(
          movingMean.dataSync(),
          Array.from(batchMean, (m) => 0.1 * m),
        ),
      ).toBeLessThan(1e-6);
      const after = movingMean.dataSync();
      tf.tidy(() => layer(x, { ...train, recompute: true }));
      expect(maxAbsDiff(movingMean.dataSync(), after)).toBe(0);
      tf.dispose([x, r]);
      store.dispose();
    });
  },
);

describe('ScheduledDropPath keep probability', () => {
  it('is 1 at the start, falls linearly, and reaches 1 - (c + 1) / C * (1 - p) at the end', () => {
    expect(dropPathKeep(0.6, 0, 10, 0)).toBe(1);
    expect(dropPathKeep(0.6, 9, 10, 1)).toBeCloseTo(0.6, 12);
    expect(dropPathKeep(0.6, 4, 10, 1)).toBeCloseTo(0.8, 12);
    expect(dropPathKeep(0.6, 9, 10, 0.5)).toBeCloseTo(0.8, 12);
    expect(dropPathKeep(0.6, 9, 10, 2)).toBeCloseTo(0.6, 12);
    expect(dropPathKeep(1, 9, 10, 1)).toBe(1);
  });
});

describe('deriveSeed', () => {
  it('is deterministic, order-sensitive and spreads nearby inputs', () => {
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(7, i)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(2 ** 40, 3)).not.toBe(deriveSeed(0, 3));
  });
});
