/**
 * The flags of `nas-ctl search` that set the search's own settings (budget, reward, retries,
 * snapshots, median rule), their help and defaults taken from the search settings schema; values
 * reach the schema unchecked, so a bad one is reported like a bad stored one, with its path.
 * `--trials` and `--reward-epochs` have no commander default: whether they were given matters
 * (`--resume` takes a new `--trials`; `--reward-epochs` defaults to at most the epochs trained).
 */
import { Option, type Command } from 'commander';
import type { z } from 'zod';
import { fieldInfo, type FieldInfo } from '../../shared/field-info.ts';
import {
  MEDIAN_STOP_SCHEMA,
  SEARCH_SETTINGS_SCHEMA,
  type SearchSettings,
} from '../../shared/search-settings.ts';
import type { TrainingSettings } from '../../shared/training-settings.ts';
import { numberOrText } from './flag-values.ts';

/** Trials of the embedded default search when `--trials` is not given. */
export const DEFAULT_TRIALS = 20;

const SETTINGS = new Map(fieldInfo(SEARCH_SETTINGS_SCHEMA).map((f) => [f.key, f]));
const MEDIAN = new Map(fieldInfo(MEDIAN_STOP_SCHEMA).map((f) => [f.key, f]));

/** The schema's default reward epochs: the best validation accuracy of this many last epochs. */
const REWARD_EPOCHS = SEARCH_SETTINGS_SCHEMA.shape.rewardEpochs.parse(undefined);

function numeric(command: Command, flag: string, info: FieldInfo | undefined) {
  const value = info?.default;
  const option = new Option(`${flag} <n>`, info?.doc ?? '').argParser(numberOrText);
  command.addOption(typeof value === 'number' ? option.default(value) : option);
}

/** A numeric flag without a commander default (so its source tells whether it was given). */
function unset(command: Command, flag: string, info: FieldInfo | undefined, shown: string) {
  const doc = `${info?.doc ?? ''} (default ${shown})`;
  command.addOption(new Option(`${flag} <n>`, doc).argParser(numberOrText));
}

/**
 * Adds `--trials`, `--reward-epochs`, `--max-attempts`, `--snapshot-every` and the median rule's
 * flags; `training` is what a search trains with when no training flag is given.
 */
export function addSearchSettingFlags(command: Command, training: TrainingSettings): Command {
  const trials = `${DEFAULT_TRIALS}; with --resume: the run's new budget, at least the trials it holds`;
  unset(command, '--trials', SETTINGS.get('maxTrials'), trials);
  const reward = `${REWARD_EPOCHS}, at most --epochs: ${rewardEpochsFor(training.epochs)} with the default --epochs ${training.epochs}`;
  unset(command, '--reward-epochs', SETTINGS.get('rewardEpochs'), reward);
  command.option(
    '--retrain-duplicates',
    'train a genotype again even if its canonical hash was trained',
    false,
  );
  numeric(command, '--max-attempts', SETTINGS.get('maxAttempts'));
  numeric(command, '--snapshot-every', SETTINGS.get('snapshotEvery'));
  command.option(
    '--median-stop',
    'stop a trial early when its best validation accuracy so far is below the median of the completed trials at the same epoch',
    false,
  );
  numeric(command, '--median-stop-min-trials', MEDIAN.get('minTrials'));
  return command;
}

/** The reward epochs of a search training `epochs` epochs when `--reward-epochs` is not given. */
export function rewardEpochsFor(epochs: number): number {
  return Math.min(REWARD_EPOCHS, epochs);
}

/**
 * Settings parsed without `--reward-epochs`, its default capped at the epochs trained (the
 * reward reads the last k epochs; more than were trained would only claim a window never used).
 */
export function withRewardEpochsDefault(settings: SearchSettings, given: boolean): SearchSettings {
  return given
    ? settings
    : { ...settings, rewardEpochs: rewardEpochsFor(settings.training.epochs) };
}

/**
 * The settings field each flag added here sets, by attribute: what a `--config` file's value is
 * checked against (with the file's key in the error) before it reaches the settings schema.
 */
export function settingFieldOf(attribute: string): z.ZodType | undefined {
  return SETTING_FIELDS.get(attribute);
}

const SETTING_FIELDS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['trials', SEARCH_SETTINGS_SCHEMA.shape.maxTrials],
  ['rewardEpochs', SEARCH_SETTINGS_SCHEMA.shape.rewardEpochs],
  ['maxAttempts', SEARCH_SETTINGS_SCHEMA.shape.maxAttempts],
  ['snapshotEvery', SEARCH_SETTINGS_SCHEMA.shape.snapshotEvery],
  ['medianStopMinTrials', MEDIAN_STOP_SCHEMA.shape.minTrials],
]);

/** Whether the flag with this attribute steers the process rather than set the run's settings. */
export function isRunControl(attribute: string): boolean {
  return RUN_CONTROL.has(attribute);
}

/** Flags that steer this process or extend the run's budget: the only ones `--resume` takes. */
const RUN_CONTROL = new Set([
  'resume',
  'trials',
  'time',
  'trainers',
  'trainersFile',
  'token',
  'tokenFile',
  'trainerWait',
  'discoveryInterval',
  'tlsCa',
  'tlsCert',
  'tlsKey',
  'tlsServerName',
  'backend',
  'localTrainers',
  'forceLocalTrainers',
  'json',
  'progress',
  'metricsPort',
  'metricsHost',
  'metricsPublic',
  'metricsLinger',
  'dashboard',
  'dashboardHost',
  'dashboardToken',
  'dashboardTokenFile',
]);

/**
 * The settings flags given together with `--resume`, which uses the run's stored settings (but for
 * a new `--trials` budget): the caller refuses them rather than ignore them silently.
 */
export function settingsFlagsGiven(command: Command): string[] {
  return command.options
    .filter((o) => !RUN_CONTROL.has(o.attributeName()))
    .filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli')
    .map((o) => o.long ?? o.attributeName());
}
