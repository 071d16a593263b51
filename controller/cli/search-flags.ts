/**
 * The flags of `nas-ctl search` that set the search's own settings (budget, reward, retries,
 * snapshots, median rule), their help and defaults taken from the search settings schema; values
 * reach the schema unchecked, so a bad one is reported like a bad stored one, with its path.
 */
import { Option, type Command } from 'commander';
import { fieldInfo, type FieldInfo } from '../../shared/field-info.ts';
import { MEDIAN_STOP_SCHEMA, SEARCH_SETTINGS_SCHEMA } from '../../shared/search-settings.ts';
import { numberOrText } from './flag-values.ts';

/** Trials of the embedded default search when `--trials` is not given. */
export const DEFAULT_TRIALS = 40;

const SETTINGS = new Map(fieldInfo(SEARCH_SETTINGS_SCHEMA).map((f) => [f.key, f]));
const MEDIAN = new Map(fieldInfo(MEDIAN_STOP_SCHEMA).map((f) => [f.key, f]));

function numeric(command: Command, flag: string, info: FieldInfo | undefined, fallback?: number) {
  const value = fallback ?? info?.default;
  const option = new Option(`${flag} <n>`, info?.doc ?? '').argParser(numberOrText);
  command.addOption(typeof value === 'number' ? option.default(value) : option);
}

/** Adds `--trials`, `--reward-epochs`, `--max-attempts`, `--snapshot-every` and the median rule's flags. */
export function addSearchSettingFlags(command: Command): Command {
  numeric(command, '--trials', SETTINGS.get('maxTrials'), DEFAULT_TRIALS);
  numeric(command, '--reward-epochs', SETTINGS.get('rewardEpochs'));
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

/** Flags that steer this process, not the run: the only ones `--resume` takes. */
const RUN_CONTROL = new Set([
  'resume',
  'time',
  'trainers',
  'trainersFile',
  'token',
  'tokenFile',
  'backend',
  'localTrainers',
  'forceLocalTrainers',
  'json',
]);

/**
 * The settings flags given together with `--resume`, which uses the run's stored settings: the
 * caller refuses them rather than ignore them silently.
 */
export function settingsFlagsGiven(command: Command): string[] {
  return command.options
    .filter((o) => !RUN_CONTROL.has(o.attributeName()))
    .filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli')
    .map((o) => o.long ?? o.attributeName());
}
