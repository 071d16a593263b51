/** The default validation split adapts to the dataset: at most a tenth of its training split. */
import { describe, expect, it } from 'vitest';
import { fitValidationDefault } from '../../controller/cli/dataset-fit.ts';
import { SEARCH_TRAINING } from '../../controller/cli/search-plan.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';

const SMALL = parseDatasetSpec('fashion-mnist-small');

describe('fitValidationDefault', () => {
  it("holds out a tenth of the embedded set's 6000 for nas-ctl train, not 5000 of them", () => {
    const fitted = fitValidationDefault(DEFAULT_TRAINING, SMALL, 'train', false);
    expect(fitted.training.validationSize).toBe(600);
    expect(fitted.note).toMatch(/--validation-size not given: its default 5000 .* so 600/);
  });

  it('keeps a default of at most a tenth, and any value given', () => {
    expect(fitValidationDefault(SEARCH_TRAINING, SMALL, 'search', false)).toEqual({
      training: SEARCH_TRAINING,
      note: null,
    });
    expect(fitValidationDefault(DEFAULT_TRAINING, SMALL, 'train', true).training).toBe(
      DEFAULT_TRAINING,
    );
    const cifar = parseDatasetSpec('cifar10:/data/cifar');
    expect(fitValidationDefault(DEFAULT_TRAINING, cifar, 'train', false).note).toBeNull();
  });
});
