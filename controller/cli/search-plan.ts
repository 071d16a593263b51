/**
 * What `nas-ctl search` is asked to do, checked as a whole before a folder is made or a process
 * started: the settings (by the one search-settings schema), the trainers, the token, how many
 * local trainers this machine can hold, and the training against the dataset.
 */
import { availableParallelism } from 'node:os';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import { parseNetworkSize } from '../../shared/network-settings.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { parseSearchSettings, type SearchSettings } from '../../shared/search-settings.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import type { StrategyName } from '../../shared/strategy-config.ts';
import {
  metricsAddressFrom,
  type MetricsAddress,
  type MetricsFlags,
} from '../../runtime/metrics-address.ts';
import { checkTrainingFitsDataset, fitValidationDefault } from './dataset-fit.ts';
import { DEFAULT_TRIALS, withRewardEpochsDefault } from './search-flags.ts';
import { timestampedRunDir } from './options.ts';
import { planFleet, type FleetFlags, type FleetPlan } from './fleet-plan.ts';
import { trainingFromFlags } from './training-flags.ts';
import { resolveSkeletonFor, type SkeletonChoice } from './skeleton-option.ts';

/**
 * Training of each candidate unless flags say otherwise: short, as child networks in a search are,
 * and sized for the default dataset (fashion-mnist-small) on a 2-core machine: one epoch of 100
 * steps of 32 images (not a full pass: give --steps-per-epoch 0 for that), no augmentation (it slows
 * learning this short), a rate that learns fast in 100 steps, and 500 images to score candidates.
 */
export const SEARCH_TRAINING = Object.freeze({
  ...DEFAULT_TRAINING,
  epochs: 1,
  stepsPerEpoch: 100,
  batchSize: 32,
  learningRate: 0.15,
  augmentCrop: false,
  augmentFlip: false,
  validationSize: 500,
});

/** Local trainers allowed even with --force-local-trainers: each is a process with its own tfjs. */
export const MAX_LOCAL_TRAINERS = 1024;

/** `--time` as given and in milliseconds. */
export interface StopTime {
  readonly text: string;
  readonly ms: number;
}

/** The flags of `nas-ctl search` as commander hands them over. */
export interface SearchFlags extends Record<string, unknown>, MetricsFlags, FleetFlags {
  readonly strategy: StrategyName;
  readonly trials: unknown;
  readonly time?: StopTime;
  readonly runDir?: string;
  readonly resume?: string;
  readonly dataset: string;
  readonly size: string;
  readonly skeleton: SkeletonChoice;
  readonly space: SearchSpace;
  readonly backend: string;
  readonly localTrainers?: number;
  readonly forceLocalTrainers: boolean;
  readonly rewardEpochs: unknown;
  readonly retrainDuplicates: boolean;
  readonly medianStop: boolean;
  readonly medianStopMinTrials: unknown;
  readonly maxAttempts: unknown;
  readonly snapshotEvery: unknown;
  readonly json: boolean;
}

/**
 * A new run with its settings, or the resumption of the run in the folder (with `maxTrials`, the
 * `--trials` given: a new budget, unchecked; the run store's trials decide what it may be).
 */
export type SearchMode =
  | { readonly resume: false; readonly settings: SearchSettings; readonly space: SearchSpace }
  | { readonly resume: true; readonly maxTrials?: unknown };

/** The checked plan of one search: its fleet (targets empty: start local trainers) and the rest. */
export interface SearchPlan extends FleetPlan {
  readonly dir: string;
  readonly mode: SearchMode;
  /** Where to serve Prometheus metrics; undefined: not served. */
  readonly metrics?: MetricsAddress;
  /** Defaults adapted to the dataset, one line each, for the command to print. */
  readonly notes: readonly string[];
}

/**
 * Checks every flag of a search; throws the settings schema's error for a bad setting, else one
 * InvalidValueError('search options') listing every other problem with its flag.
 */
export function planSearch(flags: SearchFlags, strategy: () => unknown): SearchPlan {
  const notes: string[] = [];
  const mode: SearchMode =
    flags.resume !== undefined
      ? { resume: true, ...(flags.trials === undefined ? {} : { maxTrials: flags.trials }) }
      : { resume: false, settings: settingsFrom(flags, strategy(), notes), space: flags.space };
  const violations: Violation[] = [];
  const fleet = planFleet(flags, violations, notes);
  checkLocalCount(flags, fleet.targets.length > 0, violations);
  const metrics = metricsAddressFrom(flags, violations);
  if (violations.length > 0) throw new InvalidValueError('search options', violations);
  if (!mode.resume)
    checkTrainingFitsDataset(mode.settings.training, mode.settings.dataset, 'search');
  return {
    dir: flags.resume ?? flags.runDir ?? timestampedRunDir('search'),
    mode,
    ...fleet,
    ...(metrics === undefined ? {} : { metrics }),
    notes,
  };
}

/** `--local-trainers` within what this machine holds: one trainer per core, unless forced. */
function checkLocalCount(flags: SearchFlags, named: boolean, violations: Violation[]): void {
  const n = flags.localTrainers;
  if (n === undefined) {
    if (flags.forceLocalTrainers)
      violations.push({ path: '--force-local-trainers', message: 'goes with --local-trainers' });
    return;
  }
  const cores = availableParallelism();
  const path = '--local-trainers';
  if (named) {
    const message = 'local trainers start only without --trainers and --trainers-file; drop one';
    violations.push({ path, message });
  } else if (n > cores && !flags.forceLocalTrainers) {
    const message = `${n} is more than this machine's ${cores} cores (each local trainer is a process training on its own); allowed: 1 to ${cores}, or add --force-local-trainers`;
    violations.push({ path, message });
  } else if (n > MAX_LOCAL_TRAINERS) {
    violations.push({ path, message: `${n} is more than ${MAX_LOCAL_TRAINERS}, even forced` });
  }
}

/**
 * The settings the flags ask for, parsed by the one search-settings schema (paths as in the run
 * store), with the defaults that depend on other settings filled in (`notes` says when adapted).
 */
function settingsFrom(flags: SearchFlags, strategy: unknown, notes: string[]): SearchSettings {
  const settings = withRewardEpochsDefault(
    parsedSettings(flags, strategy),
    flags.rewardEpochs !== undefined,
  );
  const given = flags.validationSize !== undefined;
  const fitted = fitValidationDefault(settings.training, settings.dataset, 'search', given);
  if (fitted.note !== null) notes.push(fitted.note);
  return { ...settings, training: fitted.training };
}

function parsedSettings(flags: SearchFlags, strategy: unknown): SearchSettings {
  const size = parseNetworkSize(flags.size);
  const skeleton = resolveSkeletonFor(flags.skeleton, parseDatasetSpec(flags.dataset));
  return parseSearchSettings(
    {
      strategy,
      maxTrials: flags.trials === undefined ? DEFAULT_TRIALS : flags.trials,
      dataset: flags.dataset,
      network: { ...size, skeleton, auxHead: false },
      training: { ...SEARCH_TRAINING, ...trainingFromFlags(flags) },
      rewardEpochs: flags.rewardEpochs,
      reuseDuplicates: !flags.retrainDuplicates,
      maxAttempts: flags.maxAttempts,
      snapshotEvery: flags.snapshotEvery,
      medianStop: flags.medianStop ? { minTrials: flags.medianStopMinTrials } : null,
    },
    'the command line',
  );
}
