/** The trial requests the campaign sends to trainers directly (NASNet-A on tiny synthetic images). */
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';

/** NASNet-A 1 @ 24 on 8x8 images, 4 steps of 8: a few seconds on a loaded wasm trainer. */
export const SMALL_TRIAL: TrialRequest = {
  genotype: NASNET_A,
  network: { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false },
  training: parseTrainingSettings({
    epochs: 1,
    stepsPerEpoch: 4,
    batchSize: 8,
    validationSize: 8,
  }),
  dataset: parseDatasetSpec('synthetic:classes=2,size=8,train=32,test=8'),
};

/** The same network trained for 24 steps: ten seconds or more, to probe a trainer while it trains. */
export const LONGER_TRIAL: TrialRequest = {
  ...SMALL_TRIAL,
  training: parseTrainingSettings({ ...SMALL_TRIAL.training, stepsPerEpoch: 24 }),
};

/** The bad trial: 1000 normal cells per stack (3,002 cells in all), a valid request. */
export const HUGE_TRIAL: TrialRequest = {
  ...SMALL_TRIAL,
  network: { ...SMALL_TRIAL.network, cells: 1000 },
};

/**
 * A valid request that is still far too big for a tiny trainer: 20 normal cells per stack (62
 * cells; the deepest a trainer that bounds depth accepts) at 480 filters. Sent when the trainer
 * refuses {@link HUGE_TRIAL} outright, so that the round still gives it a trial it cannot finish.
 */
export const DEEPEST_VALID_TRIAL: TrialRequest = {
  ...SMALL_TRIAL,
  network: { ...SMALL_TRIAL.network, cells: 20, filters: 480 },
};
