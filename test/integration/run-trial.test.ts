// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { complexity } from '../../shared/complexity.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { tf } from '../../trainer/tf.ts';
import { runTrial } from '../../trainer/train/run-trial.ts';
import { planNetwork } from '../../shared/network-plan.ts';
import { buildNetwork } from '../../trainer/network/network.ts';
import { prepareData } from '../../trainer/train/prepared-data.ts';
import { trainEpoch } from '../../trainer/train/train-epoch.ts';
import { disposeOptimizer, momentumOptimizer } from '../../trainer/train/train-step.ts';
import { loadTestBackend, TEST_BACKEND, TEST_TFJS_BACKEND } from '../fixtures/test-backend.ts';

const DATASET = parseDatasetSpec('synthetic:classes=4,size=16,train=640,test=128,seed=3');

function request(training: Partial<TrainingSettings> = {}): TrialRequest {
  return {
    genotype: NASNET_A,
    network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
    training: {
      ...DEFAULT_TRAINING,
      epochs: 2,
      batchSize: 32,
      validationSize: 128,
      learningRate: 0.05,
      ...training,
    },
    dataset: DATASET,
  };
}

const loaded = await loadTestBackend();

describe.skipIf(loaded === null)(`runTrial on ${TEST_BACKEND}`, () => {
  if (loaded === null) return;
  const backend = loaded;
  it('trains, reports every epoch, size, latency and backend, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const result = await runTrial(request(), { backend, onEpoch: (m) => epochs.push(m.epoch) });
    expect(result.status).toBe('succeeded');
    expect(epochs).toEqual([1, 2]);
    expect(result.epochs).toHaveLength(2);
    for (const m of result.epochs) {
      expect(Number.isFinite(m.trainLoss) && Number.isFinite(m.validationLoss)).toBe(true);
      expect(m.validationAccuracy).toBeGreaterThanOrEqual(0);
      expect(m.imagesPerSecond).toBeGreaterThan(0);
    }
    const size = complexity(NASNET_A, {
      cells: 1,
      filters: 48,
      imageSize: 16,
      channels: 3,
      classes: 4,
      skeleton: 'cifar',
      auxHead: false,
    });
    expect(result.params).toBe(size.params);
    expect(result.multAdds).toBe(size.multAdds);
    expect(result.latency?.batch1Ms).toBeGreaterThan(0);
    expect(result.latency?.batchSize).toBe(32);
    expect(result.testAccuracy).not.toBeNull();
    expect(result.backend).toBe(TEST_TFJS_BACKEND);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is repeatable from its seed', async () => {
    const a = await runTrial(request({ epochs: 1, stepsPerEpoch: 3 }), { backend });
    const b = await runTrial(request({ epochs: 1, stepsPerEpoch: 3 }), { backend });
    expect(b.epochs[0]?.trainLoss).toBe(a.epochs[0]?.trainLoss);
    expect(b.epochs[0]?.validationAccuracy).toBe(a.epochs[0]?.validationAccuracy);
  });

  it('stops promptly when cancelled and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const result = await runTrial(request({ epochs: 5 }), {
      backend,
      signal: controller.signal,
      onStep: (step) => {
        if (step === 2) controller.abort(new Error('early stop'));
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toBe('early stop');
    expect(result.epochs).toHaveLength(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ends an epoch as failed, naming the step, when the loss stops being finite', async () => {
    const req = request();
    const data = await prepareData(req.dataset, req.training.validationSize, req.training.seed);
    const plan = planNetwork(req.genotype, {
      ...req.network,
      imageSize: 16,
      channels: 3,
      classes: 4,
    });
    const network = buildNetwork(plan, { seed: 0, dropout: 0, dropPathKeep: 1 });
    const optimizer = momentumOptimizer(network, 0.01, 0.9);
    const head = network.params
      .list()
      .find((p) => p.name.startsWith('head/') && p.name.endsWith('kernel'));
    expect(head).toBeDefined();
    head?.variable.assign(tf.fill(head.variable.shape, Number.NaN));
    const outcome = await trainEpoch({
      request: req,
      data,
      network,
      optimizer,
      context: { backend },
      epoch: 1,
      stepsPerEpoch: 3,
    });
    expect(outcome).toEqual({ kind: 'failed', reason: 'loss became NaN at epoch 1, step 1' });
    network.dispose();
    disposeOptimizer(optimizer);
  });

  it('rejects a dataset it cannot read, naming it', async () => {
    await expect(
      runTrial(
        { ...request(), dataset: parseDatasetSpec('cifar10:/nonexistent/cifar') },
        { backend },
      ),
    ).rejects.toThrow('/nonexistent/cifar');
  });
});
