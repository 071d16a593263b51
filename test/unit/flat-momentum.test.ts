// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * The trainer's optimiser updates every parameter as one vector: it must equal tfjs's
 * MomentumOptimizer applied per variable to the gradient plus the L2 decay term, clipped by the
 * global norm, step after step (momentum carried over), on every backend profile's flattener.
 */
import { describe, expect, it } from 'vitest';
import type { Param } from '../../trainer/network/param-store.ts';
import { initBackend, tf, type ConcreteBackend } from '../../trainer/tf.ts';
import { FlatMomentum } from '../../trainer/train/flat-momentum.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const SHAPES = [[2, 3], [4], [1, 1, 2, 3]] as const;
const DECAY = [true, false, true];
const SETTINGS = { weightDecay: 0.1, gradClipNorm: 0.5 };

function params(): Param[] {
  return SHAPES.map((shape, i) => ({
    name: `p${i}`,
    variable: tf.variable(
      tf.randomNormal([...shape], 0, 1, 'float32', i + 1),
      true,
      `p${i}_${Math.random()}`,
    ),
    trainable: true,
    decay: DECAY[i] ?? false,
  }));
}

function gradients(step: number): tf.Tensor[] {
  return SHAPES.map((shape, i) => tf.randomNormal([...shape], 0, 1, 'float32', 100 * step + i));
}

/** The per-variable reference: decay, global-norm clip, tfjs's MomentumOptimizer. */
function referenceStep(ps: Param[], grads: tf.Tensor[], optimizer: tf.MomentumOptimizer): void {
  tf.tidy(() => {
    const total = grads.map((g, i) => {
      const p = ps[i];
      if (p === undefined) throw new Error('no param');
      return p.decay ? tf.add(g, tf.mul(p.variable, SETTINGS.weightDecay)) : g;
    });
    const norm = tf.sqrt(tf.addN(total.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(SETTINGS.gradClipNorm, tf.maximum(norm, SETTINGS.gradClipNorm));
    optimizer.applyGradients(
      total.map((g, i) => ({ name: ps[i]?.variable.name ?? '', tensor: tf.mul(g, scale) })),
    );
  });
}

/** cpu and wasm; tensorflow's DynamicStitch flattener too under npm run test:native. */
const native = TEST_BACKEND === 'wasm' || TEST_BACKEND === 'cpu' ? [] : [TEST_BACKEND];
const nativeLoads = native.length > 0 && (await loadTestBackend(TEST_BACKEND, false)) !== null;
const BACKENDS: readonly ConcreteBackend[] = ['cpu', 'wasm', ...(nativeLoads ? native : [])];

describe.each(BACKENDS)('FlatMomentum on %s', (backend) => {
  it('equals per-variable momentum SGD with decay and clipping over three steps', async () => {
    await initBackend(backend);
    const [mine, theirs] = [params(), params()];
    const flat = new FlatMomentum(mine, 0.9, 0.1);
    const reference = tf.train.momentum(0.1, 0.9);
    for (let step = 0; step < 3; step++) {
      const grads = gradients(step);
      tf.tidy(() => flat.apply(grads, flat.flatWeights(), SETTINGS));
      referenceStep(theirs, grads, reference);
      grads.forEach((g) => g.dispose());
    }
    mine.forEach((p, i) => {
      const want = theirs[i]?.variable.dataSync() ?? new Float32Array();
      const got = p.variable.dataSync();
      const diff = Math.max(...Array.from(got, (v, j) => Math.abs(v - (want[j] ?? Number.NaN))));
      expect([p.name, diff < 1e-5]).toEqual([p.name, true]);
    });
    const decay = tf.tidy(() => flat.decayLoss(flat.flatWeights(), 2).dataSync()[0]);
    const squares = mine
      .filter((p) => p.decay)
      .flatMap((p) => Array.from(p.variable.dataSync(), (v) => v * v));
    expect(decay).toBeCloseTo(
      squares.reduce((a, b) => a + b, 0),
      4,
    );
    flat.dispose();
    reference.dispose();
  });
});
