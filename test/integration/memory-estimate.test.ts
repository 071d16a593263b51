/**
 * The memory estimate against a measurement: tiny real networks trained on the backend under test,
 * their peak tensor bytes (tf.profile) compared with the estimate's weights, optimizer state and
 * activations, and the dataset the trainer holds compared with the estimate's dataset part.
 */
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { estimateRequestMemory } from '../../shared/memory-estimate.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import type { TrialNetwork, TrialRequest } from '../../shared/trial.ts';
import { tf } from '../../trainer/tf.ts';
import { prepareData } from '../../trainer/train/prepared-data.ts';
import { runTrial } from '../../trainer/train/run-trial.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

/** Tiny networks of different shapes: widths, depths, a reduction-heavy ImageNet stem, an aux head. */
const CASES: readonly { network: TrialNetwork; batchSize: number; size: number }[] = [
  {
    network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
    batchSize: 32,
    size: 16,
  },
  { network: { cells: 2, filters: 48, skeleton: 'cifar', auxHead: true }, batchSize: 8, size: 24 },
  {
    network: { cells: 1, filters: 96, skeleton: 'imagenet', auxHead: false },
    batchSize: 8,
    size: 48,
  },
];

function request(c: (typeof CASES)[number]): TrialRequest {
  return {
    genotype: NASNET_A,
    network: c.network,
    training: {
      ...DEFAULT_TRAINING,
      epochs: 1,
      stepsPerEpoch: 2,
      batchSize: c.batchSize,
      validationSize: 32,
    },
    dataset: parseDatasetSpec(`synthetic:classes=4,size=${c.size},train=128,test=32`),
  };
}

const loaded = await loadTestBackend();

describe.skipIf(loaded === null)(`the memory estimate on ${TEST_BACKEND}`, () => {
  if (loaded === null) return;
  const backend = loaded;
  it.each(CASES)('is within 0.5..3 of the peak tensor bytes of training %o', async (c) => {
    const trial = request(c);
    const estimate = estimateRequestMemory(trial);
    let status = '';
    const profile = await tf.profile(async () => {
      status = (await runTrial(trial, { backend })).status;
    });
    expect(status).toBe('succeeded');
    const { weights, optimizer, activations } = estimate.parts;
    const ratio = (weights + optimizer + activations) / profile.peakBytes;
    process.stderr.write(`estimate / measured peak: ${ratio.toFixed(2)}\n`);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(3);
  });

  it('counts the dataset bytes the trainer holds, the validation copy included', async () => {
    const trial = request({ network: TINY_NETWORK, batchSize: 8, size: 16 });
    const data = await prepareData(trial.dataset, trial.training.validationSize, 0);
    const held = [data.dataset.train, data.dataset.test, data.train, data.validation]
      .map((split) => split?.images.byteLength ?? 0)
      .reduce((a, b) => a + b, 0);
    expect(estimateRequestMemory(trial).parts.dataset).toBe(held);
  });
});

const TINY_NETWORK: TrialNetwork = { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false };
