/**
 * The default search's training on the default dataset learns: a child network of the default size
 * trained with the search's own settings (SEARCH_TRAINING) on the embedded Fashion-MNIST subset
 * scores well above the 10% of chance, on the validation and the test split alike.
 */
import { describe, expect, it } from 'vitest';
import { SEARCH_TRAINING } from '../../controller/cli/search-plan.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { parseNetworkSize } from '../../shared/network-settings.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { runTrial } from '../../trainer/train/run-trial.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const backend = await loadTestBackend();

/** A residual chain of 3x3 convs per cell: a plain, fair child of the search space. */
function chain(firstOp: 'identity' | 'max_pool_3x3'): unknown[] {
  return Array.from({ length: 5 }, (_, b) => ({
    inputA: b === 0 ? 0 : b + 1,
    opA: 'conv_3x3',
    inputB: b === 0 ? 1 : b + 1,
    opB: b === 0 ? firstOp : 'identity',
    combine: 'add',
  }));
}

describe.skipIf(backend === null)(`the default search training (${TEST_BACKEND})`, () => {
  it('beats chance clearly on fashion-mnist-small', { timeout: 300_000 }, async () => {
    if (backend === null) return;
    const genotype = parseGenotype({
      normal: { blocks: chain('identity') },
      reduction: { blocks: chain('max_pool_3x3') },
    });
    const result = await runTrial(
      {
        genotype,
        network: { ...parseNetworkSize('1@48'), skeleton: 'cifar', auxHead: false },
        training: SEARCH_TRAINING,
        dataset: parseDatasetSpec('fashion-mnist-small'),
      },
      { backend },
    );
    expect(result.status).toBe('succeeded');
    expect(result.epochs.at(-1)?.validationAccuracy).toBeGreaterThan(0.4);
    expect(result.testAccuracy).toBeGreaterThan(0.4);
  });
});
