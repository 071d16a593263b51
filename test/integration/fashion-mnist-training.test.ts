// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * Real images, real training: a small child network trained briefly on Debian's Fashion-MNIST
 * (installed by .ci/run) must reach 80% validation accuracy within a few minutes on 2 cores.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { runTrial } from '../../trainer/train/run-trial.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const DIR = '/usr/share/datasets/fashion-mnist';
const backend = await loadTestBackend();

/** A residual chain of five 3x3 convs per cell: cheap, and a fair small child of the search space. */
function chain(firstOp: 'identity' | 'max_pool_3x3'): unknown[] {
  return Array.from({ length: 5 }, (_, b) => ({
    inputA: b === 0 ? 0 : b + 1,
    opA: 'conv_3x3',
    inputB: b === 0 ? 1 : b + 1,
    opB: b === 0 ? firstOp : 'identity',
    combine: 'add',
  }));
}

describe.skipIf(!existsSync(DIR) || backend === null)(
  `training on Fashion-MNIST (${TEST_BACKEND})`,
  () => {
    it(
      'reaches at least 80% validation accuracy after 150 steps',
      { timeout: 600_000 },
      async () => {
        const genotype = parseGenotype({
          normal: { blocks: chain('identity') },
          reduction: { blocks: chain('max_pool_3x3') },
        });
        if (backend === null) return;
        const result = await runTrial(
          {
            genotype,
            network: { cells: 1, filters: 96, skeleton: 'cifar', auxHead: false },
            training: {
              ...DEFAULT_TRAINING,
              epochs: 1,
              stepsPerEpoch: 150,
              batchSize: 128,
              learningRate: 0.1,
              weightDecay: 1e-4,
              augmentCrop: false,
              augmentFlip: false,
              validationSize: 2000,
            },
            dataset: parseDatasetSpec(`fashion-mnist:${DIR}`),
          },
          { backend },
        );
        expect(result.status).toBe('succeeded');
        expect(result.epochs[0]?.validationAccuracy).toBeGreaterThanOrEqual(0.8);
        expect(result.testAccuracy).toBeGreaterThan(0.75);
      },
    );
  },
);
