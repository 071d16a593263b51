/**
 * The trial request schema: what the CLI, a JSON file and the wire all parse a request with, listing
 * every violation with its path. Checks that need the dataset (image size, classes) happen where
 * the dataset is read, when the network is planned.
 */
import { DATASET_SPEC_SCHEMA } from './dataset-spec.ts';
import { TRIAL_NETWORK_SCHEMA } from './network-settings.ts';
import { fields, parsedBy, parseWith } from './schema.ts';
import { DEFAULT_SPACE, type SearchSpace } from './search-space.ts';
import { TRAINING_SETTINGS_SCHEMA } from './training-settings.ts';
import type { TrialRequest } from './trial.ts';
import { parseGenotype } from './validate.ts';

/** The schema of a trial request over `space`; absent training settings take their defaults. */
export function trialRequestSchema(space: SearchSpace = DEFAULT_SPACE) {
  return fields(
    {
      genotype: parsedBy((value) => parseGenotype(value, space)),
      network: TRIAL_NETWORK_SCHEMA,
      training: TRAINING_SETTINGS_SCHEMA.prefault({}),
      dataset: DATASET_SPEC_SCHEMA,
    },
    'a trial request {genotype, network, training, dataset}',
  );
}

const DEFAULT_REQUEST = trialRequestSchema();

/** Parses a trial request; throws InvalidValueError('trial request') listing every problem. */
export function parseTrialRequest(
  value: unknown,
  space: SearchSpace = DEFAULT_SPACE,
): TrialRequest {
  const schema = space === DEFAULT_SPACE ? DEFAULT_REQUEST : trialRequestSchema(space);
  return parseWith(schema, value, 'trial request');
}
