// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * The `trainStep` setting through the trainer's training entry point (runTrial): on the native
 * backend with the graph-step addon, a trial trained by the graph step and one trained by the eager
 * step both succeed, say which step trained them, and reach the same losses (both see the same
 * batches from the same weights; the graph's trained state is copied back before validation). On
 * wasm, an explicit `graph` is refused naming the setting and the reason, and `auto` trains eagerly.
 */
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { tf } from '../../trainer/tf.ts';
import { runTrial } from '../../trainer/train/run-trial.ts';
import { installedGraphAddon } from '../fixtures/graph-addon.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const DATASET = parseDatasetSpec('synthetic:classes=4,size=16,train=256,test=64,seed=3');

function request(training: Partial<TrainingSettings>): TrialRequest {
  return {
    genotype: NASNET_A,
    network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
    training: {
      ...DEFAULT_TRAINING,
      epochs: 2,
      stepsPerEpoch: 3,
      batchSize: 16,
      validationSize: 64,
      learningRate: 0.05,
      ...training,
    },
    dataset: DATASET,
  };
}

/**
 * Largest allowed |graph - eager| of an epoch's mean training loss and of the validation loss.
 * Per step the two agree to ~5e-6 (graph-nasnet.test.ts); six steps of momentum carry that forward.
 */
const LOSS_TOLERANCE = 1e-3;

const native = TEST_BACKEND === 'node' || TEST_BACKEND === 'node-gpu';
const loaded = await loadTestBackend();
const addon = native && loaded !== null ? installedGraphAddon() : null;

describe.skipIf(addon === null)(
  `trainStep graph against eager in runTrial (${TEST_BACKEND})`,
  () => {
    it('both succeed, name their step, and reach the same losses', async () => {
      if (loaded === null) return;
      const before = tf.memory().numTensors;
      const graph = await runTrial(request({ trainStep: 'graph' }), { backend: loaded });
      const eager = await runTrial(request({ trainStep: 'eager' }), { backend: loaded });
      expect(graph.status, graph.reason).toBe('succeeded');
      expect(eager.status, eager.reason).toBe('succeeded');
      expect(graph.device).toMatch(/graph step, built in \d+ ms\)$/);
      expect(eager.device).toMatch(/eager step\)$/);
      expect(graph.epochs).toHaveLength(2);
      graph.epochs.forEach((g, i) => {
        const e = eager.epochs[i];
        process.stdout.write(
          `graph-trial epoch ${i + 1}: train loss graph ${g.trainLoss.toFixed(5)} eager ` +
            `${e?.trainLoss.toFixed(5)}; validation ${g.validationLoss.toFixed(5)} / ` +
            `${e?.validationLoss.toFixed(5)}\n`,
        );
        expect(Math.abs(g.trainLoss - (e?.trainLoss ?? NaN))).toBeLessThan(LOSS_TOLERANCE);
        expect(Math.abs(g.validationLoss - (e?.validationLoss ?? NaN))).toBeLessThan(
          LOSS_TOLERANCE,
        );
      });
      expect(graph.testAccuracy).not.toBeNull();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('refuses an explicit graph step with dropout, and auto then trains eagerly', async () => {
      if (loaded === null) return;
      await expect(
        runTrial(request({ trainStep: 'graph', dropout: 0.2 }), { backend: loaded }),
      ).rejects.toThrow(/training\.trainStep: .*does not build dropout \(0\.2\)/);
      const auto = await runTrial(request({ trainStep: 'auto', dropout: 0.2, epochs: 1 }), {
        backend: loaded,
      });
      expect(auto.status, auto.reason).toBe('succeeded');
      expect(auto.device).toMatch(/eager step\)$/);
    });

    it('auto trains with the graph step here', async () => {
      if (loaded === null) return;
      const result = await runTrial(request({ trainStep: 'auto', epochs: 1 }), { backend: loaded });
      expect(result.status, result.reason).toBe('succeeded');
      expect(result.device).toMatch(/graph step/);
    });
  },
);

describe.skipIf(loaded === null || native)(`trainStep on ${TEST_BACKEND}`, () => {
  it('refuses an explicit graph step, naming the setting and the reason', async () => {
    if (loaded === null) return;
    await expect(runTrial(request({ trainStep: 'graph' }), { backend: loaded })).rejects.toThrow(
      /training\.trainStep: the graph step cannot run here: it needs the tensorflow/,
    );
  });

  it('auto falls back to the eager step', async () => {
    if (loaded === null) return;
    const result = await runTrial(request({ trainStep: 'auto', epochs: 1 }), { backend: loaded });
    expect(result.status, result.reason).toBe('succeeded');
    expect(result.device).toMatch(/eager step\)$/);
  });
});
