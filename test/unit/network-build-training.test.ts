// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * Training behaviour of built networks: a genotype using 14 ops (concat combines, stride-2
 * reduction ops, explicit outputs) trains with finite gradients for every weight and frees every
 * tensor on the backend under test (wasm, or tensorflow with NAS_TEST_BACKEND=node), which with
 * its profile installed (trainer/backend.ts) agrees with cpu; drop path, dropout and BN behave
 * per mode. Every op of the table, however many, trains with finite gradients at strides 1 and 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Genotype } from '../../shared/genotype.ts';
import { planNetwork, type NetworkSettingsInput } from '../../shared/network-plan.ts';
import { buildNetwork, type Network, type NetworkOptions } from '../../trainer/network/network.ts';
import { setupBackend } from '../../trainer/backend.ts';
import { initBackend, tf } from '../../trainer/tf.ts';
import type { Tensor, Tensor4D } from '../../trainer/tf.ts';
import { momentumOptimizer, trainStep } from '../../trainer/train/train-step.ts';
import { everyOpGenotypes } from '../fixtures/every-op-genotypes.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

/**
 * Every op once or more; concat combines; pools that project; explicit outputs with cell inputs.
 */
const ALL_OPS: Genotype = {
  normal: {
    blocks: [
      { inputA: 0, opA: 'identity', inputB: 1, opB: 'conv_1x3_3x1', combine: 'add' },
      { inputA: 0, opA: 'conv_1x7_7x1', inputB: 2, opB: 'dil_conv_3x3', combine: 'concat' },
      { inputA: 1, opA: 'avg_pool_3x3', inputB: 3, opB: 'avg_pool_5x5', combine: 'add' },
      { inputA: 0, opA: 'max_pool_3x3', inputB: 4, opB: 'max_pool_5x5', combine: 'concat' },
      { inputA: 5, opA: 'max_pool_7x7', inputB: 2, opB: 'identity', combine: 'add' },
    ],
    output: [1, 3, 6],
  },
  reduction: {
    blocks: [
      { inputA: 0, opA: 'conv_1x1', inputB: 1, opB: 'conv_3x3', combine: 'concat' },
      { inputA: 0, opA: 'sep_conv_3x3', inputB: 1, opB: 'sep_conv_5x5', combine: 'add' },
      { inputA: 1, opA: 'sep_conv_7x7', inputB: 0, opB: 'identity', combine: 'add' },
      { inputA: 0, opA: 'avg_pool_3x3', inputB: 1, opB: 'max_pool_3x3', combine: 'add' },
      { inputA: 2, opA: 'dil_conv_3x3', inputB: 0, opB: 'conv_1x3_3x1', combine: 'concat' },
    ],
    output: [0, 3, 4, 5, 6],
  },
};

const SETTINGS: NetworkSettingsInput = {
  cells: 1,
  filters: 48,
  imageSize: 12,
  classes: 5,
  skeleton: 'cifar',
  auxHead: true,
};
const BATCH = 4;
const TRAIN = { training: true, progress: 1 };
const EVAL = { training: false, progress: 0 };

function build(options: Partial<NetworkOptions> = {}): Network {
  return buildNetwork(planNetwork(ALL_OPS, SETTINGS), {
    seed: 3,
    dropout: 0,
    dropPathKeep: 1,
    ...options,
  });
}

function input(seed = 11): Tensor4D {
  const s = SETTINGS.imageSize;
  return tf.randomNormal([BATCH, s, s, 3], 0, 1, 'float32', seed).as4D(BATCH, s, s, 3);
}

function logits(network: Network, x: Tensor4D, mode = EVAL): Float32Array {
  return tf.tidy(() => Float32Array.from(network.apply(x, mode).logits.dataSync()));
}

/** Loss value and gradients (by parameter name) of a training-mode forward. */
function lossAndGrads(network: Network, x: Tensor4D) {
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), SETTINGS.classes));
  const { value, grads } = tf.variableGrads(() => {
    const out = network.apply(x, TRAIN);
    const main = tf.losses.softmaxCrossEntropy(labels, out.logits);
    const aux = out.auxLogits ? tf.losses.softmaxCrossEntropy(labels, out.auxLogits) : 0;
    return tf.add(main, tf.mul(aux, 0.4)).asScalar();
  }, network.params.trainable());
  const byName = new Map<string, Float32Array>();
  for (const p of network.params.list()) {
    const g = grads[p.variable.name];
    if (g !== undefined) byName.set(p.name, Float32Array.from(g.dataSync()));
  }
  const loss = value.dataSync()[0] ?? Number.NaN;
  tf.dispose([labels, value, ...Object.values(grads)]);
  return { loss, grads: byName };
}

function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function maxAbsDiff(a: Float32Array, b: Float32Array | undefined): number {
  expect(b?.length).toBe(a.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b?.[i] ?? Number.NaN))), 0);
}

function snapshot(tensors: readonly Tensor[]): Float32Array[] {
  return tensors.map((t) => Float32Array.from(t.dataSync()));
}

const testBackend = await loadTestBackend(); // null: not loadable here (skipped outside CI)

describe.skipIf(testBackend === null)(`training a network with every op on ${TEST_BACKEND}`, () => {
  let network: Network;
  let x: Tensor4D;
  beforeAll(async () => {
    await setupBackend(TEST_BACKEND); // as trainers do: the backend's profile installed
    network = build();
    x = input();
  });
  afterAll(() => {
    network.dispose();
    x.dispose();
  });

  it('uses 14 different ops', () => {
    const used = new Set(
      [ALL_OPS.normal, ALL_OPS.reduction].flatMap((c) => c.blocks.flatMap((b) => [b.opA, b.opB])),
    );
    expect(used.size).toBe(14);
  });

  it.each(everyOpGenotypes().map((g, i) => [i + 1, g] as const))(
    'every op of the table, ten at a time (part %i), gives a finite gradient for every weight',
    (_, genotype) => {
      const every = buildNetwork(planNetwork(genotype, SETTINGS), {
        seed: 5,
        dropout: 0,
        dropPathKeep: 1,
      });
      try {
        const { loss, grads } = lossAndGrads(every, x);
        expect(Number.isFinite(loss)).toBe(true);
        expect(grads.size).toBe(every.params.trainable().length);
        for (const [name, g] of grads)
          expect([name, g.every(Number.isFinite)]).toEqual([name, true]);
      } finally {
        every.dispose();
      }
    },
  );

  it('gives a finite loss and a finite gradient for every trainable weight, and leaks nothing', () => {
    lossAndGrads(network, x); // warm-up: kernels register, wasm allocates
    const before = { tensors: tf.memory().numTensors, data: tf.backend().numDataIds() };
    const { loss, grads } = lossAndGrads(network, x); // variableGrads tidies; grads disposed
    expect(Number.isFinite(loss)).toBe(true);
    expect(grads.size).toBe(network.params.trainable().length);
    for (const [name, g] of grads) expect([name, g.every(Number.isFinite)]).toEqual([name, true]);
    expect(maxAbs(grads.get('stem/conv') ?? new Float32Array())).toBeGreaterThan(0);
    expect({ tensors: tf.memory().numTensors, data: tf.backend().numDataIds() }).toEqual(before);
  });

  it(`computes the same outputs and gradients on ${TEST_BACKEND} as on the cpu backend`, async () => {
    // Eval first on both: training passes move the BN averages that eval reads.
    const y = logits(network, x);
    await initBackend('cpu');
    let cpu: ReturnType<typeof lossAndGrads>;
    try {
      expect(maxAbsDiff(y, logits(network, x))).toBeLessThan(1e-4 * Math.max(1, maxAbs(y)));
      cpu = lossAndGrads(network, x);
    } finally {
      await setupBackend(TEST_BACKEND);
    }
    const { loss, grads } = lossAndGrads(network, x);
    expect(Math.abs(cpu.loss - loss)).toBeLessThan(1e-4);
    for (const [name, g] of grads) {
      const tol = 1e-3 * Math.max(1e-2, maxAbs(g));
      expect([name, maxAbsDiff(g, cpu.grads.get(name)) < tol]).toEqual([name, true]);
    }
  });
});

/** A normal cell no block of which reads h_{i-1}: that input's adjustment gets no gradient. */
const UNREAD_INPUT: Genotype = {
  normal: {
    blocks: [
      { inputA: 0, opA: 'sep_conv_3x3', inputB: 0, opB: 'dil_conv_3x3', combine: 'add' },
      { inputA: 0, opA: 'identity', inputB: 2, opB: 'avg_pool_3x3', combine: 'add' },
    ],
  },
  reduction: ALL_OPS.reduction,
};

describe.skipIf(testBackend === null)(`a step on ${TEST_BACKEND} with an unread cell input`, () => {
  it.each([false, true])(
    'updates every weight the loss reaches and leaves the rest (checkpoint %s)',
    async (checkpoint) => {
      await setupBackend(TEST_BACKEND);
      const plan = planNetwork(UNREAD_INPUT, { ...SETTINGS, cells: 2, auxHead: false });
      const network = buildNetwork(plan, { seed: 3, dropout: 0, dropPathKeep: 1, checkpoint });
      const optimizer = momentumOptimizer(network, 0.1, 0.9);
      const x = input();
      const labels = tf.tensor1d([0, 1, 2, 3], 'int32');
      const unread = network.params
        .list()
        .filter((p) => /cell_\d+\/normal\/input_1\/bn\/gamma$/.test(p.name));
      expect(unread.length).toBeGreaterThan(0);
      const stem = network.params.get('stem/conv')?.variable;
      if (stem === undefined) throw new Error('no stem/conv');
      const before = snapshot(unread.map((p) => p.variable));
      const [stemBefore] = snapshot([stem]);
      const settings = { labelSmoothing: 0, auxWeight: 0, weightDecay: 1e-4, gradClipNorm: 5 };
      const outcome = trainStep(network, optimizer, { images: x, labels }, settings, 0.5);
      expect(Number.isFinite(outcome.loss)).toBe(true);
      expect(snapshot(unread.map((p) => p.variable))).toEqual(before);
      expect(maxAbsDiff(snapshot([stem])[0] ?? new Float32Array(), stemBefore)).toBeGreaterThan(0);
      [network, optimizer, x, labels].forEach((t) => t.dispose());
    },
  );
});

describe('cell checkpointing', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('gives the same loss, gradients and BN averages as keeping every activation', () => {
    const options = { dropPathKeep: 0.5, dropout: 0.5 }; // the recomputation must replay the masks
    const [kept, recomputed] = [build({ ...options, checkpoint: false }), build(options)];
    const x = input();
    const a = lossAndGrads(kept, x);
    const b = lossAndGrads(recomputed, x);
    expect(b.loss).toBeCloseTo(a.loss, 5);
    for (const [name, g] of a.grads) {
      const tol = 1e-4 * Math.max(1e-2, maxAbs(g));
      expect([name, maxAbsDiff(g, b.grads.get(name)) < tol]).toEqual([name, true]);
    }
    const stats = (n: Network) =>
      snapshot(
        n.params
          .list()
          .filter((p) => !p.trainable)
          .map((p) => p.variable),
      );
    const [sa, sb] = [stats(kept), stats(recomputed)];
    sa.forEach((v, i) => expect(maxAbsDiff(v, sb[i])).toBeLessThan(1e-5));
    [kept, recomputed].forEach((n) => n.dispose());
    x.dispose();
  });
});

describe('modes', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('drop path: training outputs vary from call to call and differ from eval', () => {
    const network = build({ dropPathKeep: 0.5 });
    const x = input();
    const [a, b] = [logits(network, x, TRAIN), logits(network, x, TRAIN)];
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(a, logits(network, x))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(logits(network, x), logits(network, x))).toBe(0);
    network.dispose();
    x.dispose();
  });

  it('drop path and dropout repeat exactly under the same seed', () => {
    const [n1, n2] = [
      build({ dropPathKeep: 0.5, dropout: 0.5 }),
      build({ dropPathKeep: 0.5, dropout: 0.5 }),
    ];
    const x = input();
    for (let call = 0; call < 2; call++) {
      expect(maxAbsDiff(logits(n1, x, TRAIN), logits(n2, x, TRAIN))).toBe(0);
    }
    tf.dispose(x);
    n1.dispose();
    n2.dispose();
  });

  it('with drop path and dropout off, training outputs depend only on the batch', () => {
    const network = build();
    const x = input();
    expect(maxAbsDiff(logits(network, x, TRAIN), logits(network, x, TRAIN))).toBe(0);
    network.dispose();
    x.dispose();
  });

  it('BN moving averages change after a training forward, not after an eval forward', () => {
    const network = build();
    const x = input();
    const stats = network.params
      .list()
      .filter((p) => !p.trainable)
      .map((p) => p.variable);
    const initial = snapshot(stats);
    logits(network, x);
    snapshot(stats).forEach((s, i) => expect(maxAbsDiff(s, initial[i])).toBe(0));
    logits(network, x, TRAIN);
    const trained = snapshot(stats);
    const changed = trained.filter((s, i) => maxAbsDiff(s, initial[i]) > 0).length;
    expect(changed).toBe(stats.length);
    network.dispose();
    x.dispose();
  });

  it('seeds the initial weights: the same seed gives the same weights, another seed others', () => {
    const [a, b, c] = [build(), build(), build({ seed: 4 })];
    const w = (n: Network) => snapshot(n.params.trainable());
    const [wa, wb, wc] = [w(a), w(b), w(c)];
    wa.forEach((v, i) => expect(maxAbsDiff(v, wb[i])).toBe(0));
    expect(maxAbsDiff(wa[0] ?? new Float32Array(), wc[0])).toBeGreaterThan(0);
    [a, b, c].forEach((n) => n.dispose());
  });
});
