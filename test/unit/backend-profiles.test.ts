// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * What each backend profile composes or works around, against the cpu backend's plain kernels:
 * the strided 1x1 convolution whose filter gradient TensorFlow's oneDNN kernel gets wrong for
 * fewer than 8 input channels (the tensorflow profile subsamples first), dilated convolutions
 * (TensorFlow's dilated kernels on tensorflow, space-to-batch elsewhere and on cpu), and the
 * convolutions the builder uses at the strides and kernel shapes NASNet cells have.
 */
import { describe, expect, it } from 'vitest';
import { conv2d, dilatedConv2d } from '../../trainer/network/conv-ops.ts';
import { initBackend, tf, type ConcreteBackend, type Tensor4D } from '../../trainer/tf.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const native = TEST_BACKEND === 'wasm' || TEST_BACKEND === 'cpu' ? [] : [TEST_BACKEND];
const nativeLoads = native.length > 0 && (await loadTestBackend(TEST_BACKEND, false)) !== null;
const BACKENDS: readonly ConcreteBackend[] = ['wasm', ...(nativeLoads ? native : [])];

const CASES = [
  { kernel: [3, 3], strides: [1, 1], cin: 3, rate: 2 },
  { kernel: [3, 3], strides: [2, 2], cin: 3, rate: 2 },
  { kernel: [5, 5], strides: [1, 1], cin: 2, rate: 3 },
  { kernel: [1, 1], strides: [2, 2], cin: 2 },
  { kernel: [1, 1], strides: [2, 2], cin: 4 },
  { kernel: [1, 1], strides: [2, 2], cin: 8 },
  { kernel: [1, 3], strides: [1, 2], cin: 2 },
  { kernel: [3, 1], strides: [2, 1], cin: 2 },
  { kernel: [3, 3], strides: [2, 2], cin: 3 },
] as const;

/** The input and filter gradients of sum(conv(x, f)^2) on the active backend. */
function convGrads(c: (typeof CASES)[number]): Float32Array[] {
  const [kh, kw] = c.kernel;
  return tf.tidy(() => {
    const x = tf.tensor4d(
      Float32Array.from({ length: 4 * 12 * 12 * c.cin }, (_, i) => Math.sin(i)),
      [4, 12, 12, c.cin],
    );
    const f = tf.tensor4d(
      Float32Array.from({ length: kh * kw * c.cin * 4 }, (_, i) => Math.cos(i)),
      [kh, kw, c.cin, 4],
    );
    const strides: [number, number] = [c.strides[0], c.strides[1]];
    const rate = 'rate' in c ? c.rate : 1;
    const conv = (a: Tensor4D, b: Tensor4D) =>
      rate === 1 ? conv2d(a, b, strides) : dilatedConv2d(a, b, [rate, rate], strides);
    const loss = (a: Tensor4D, b: Tensor4D) => tf.sum(tf.square(conv(a, b)));
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      loss(a.as4D(...x.shape), b.as4D(...f.shape)),
    );
    return grads([x, f]).map((g) => Float32Array.from(g.dataSync()));
  });
}

function maxRelativeDiff(a: Float32Array, b: Float32Array | undefined): number {
  if (b === undefined || a.length !== b.length) return Number.POSITIVE_INFINITY;
  const scale = Math.max(1e-6, ...Array.from(b, Math.abs));
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] ?? Number.NaN)))) / scale;
}

describe.each(BACKENDS)('convolutions on %s', (backend) => {
  it.each(CASES)(
    'kernel $kernel stride $strides rate $rate, $cin input channels: the gradients of cpu',
    async (c) => {
      await initBackend('cpu');
      const want = convGrads(c);
      await initBackend(backend);
      const got = convGrads(c);
      expect(maxRelativeDiff(got[0] ?? new Float32Array(), want[0])).toBeLessThan(1e-5);
      expect(maxRelativeDiff(got[1] ?? new Float32Array(), want[1])).toBeLessThan(1e-5);
    },
  );
});
