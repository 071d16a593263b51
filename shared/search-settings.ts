/**
 * The settings of a search: the one schema the CLI builds them with, the run store writes them with
 * and `--resume` reads them back with. A run written before an option existed gets its default.
 */
import type { z } from 'zod';
import { DATASET_SPEC_SCHEMA, formatDatasetSpec } from './dataset-spec.ts';
import { TRIAL_NETWORK_SCHEMA } from './network-settings.ts';
import { count, fields, flag, parseWith } from './schema.ts';
import { STRATEGY_CONFIG_SCHEMA } from './strategy-config.ts';
import { TRAINING_SETTINGS_SCHEMA } from './training-settings.ts';

/** The median stopping rule's settings. */
export const MEDIAN_STOP_SCHEMA = fields(
  {
    minTrials: count(
      'completed trials an epoch needs before --median-stop stops any trial there',
    ).default(5),
  },
  'median stop settings {minTrials}',
);

/** Every setting of a search. */
export const SEARCH_SETTINGS_SCHEMA = fields(
  {
    strategy: STRATEGY_CONFIG_SCHEMA,
    maxTrials: count('stop after this many trials').nullable(),
    dataset: DATASET_SPEC_SCHEMA,
    network: TRIAL_NETWORK_SCHEMA,
    training: TRAINING_SETTINGS_SCHEMA,
    rewardEpochs: count('reward = best validation accuracy of the last k epochs').default(5),
    reuseDuplicates: flag('reuse the reward of an earlier trial of the same canonical genotype'),
    maxAttempts: count(
      'trainers that may take a trial before it fails (the first included)',
    ).default(3),
    snapshotEvery: count('save the strategy after this many finished trials').default(20),
    medianStop: MEDIAN_STOP_SCHEMA.nullable().default(null),
  },
  'search settings',
);

/** The median stopping rule's settings. */
export type MedianStopSettings = Readonly<z.output<typeof MEDIAN_STOP_SCHEMA>>;

/** The settings of a search, stored in the run directory and read back on resume. */
export type SearchSettings = Readonly<z.output<typeof SEARCH_SETTINGS_SCHEMA>>;

/** Parses settings (`where` names their source in the error, e.g. the run directory or `flags`). */
export function parseSearchSettings(value: unknown, where: string): SearchSettings {
  return parseWith(SEARCH_SETTINGS_SCHEMA, value, `search settings of ${where}`);
}

/** The JSON-able form the run store keeps; {@link parseSearchSettings} reads it back. */
export function encodeSearchSettings(settings: SearchSettings): Readonly<Record<string, unknown>> {
  return { ...settings, dataset: formatDatasetSpec(settings.dataset) };
}
