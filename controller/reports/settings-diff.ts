/**
 * Which settings of several search runs differ, setting by setting: the settings that decide what a
 * reward means (the space, the dataset, the network, the training of each candidate, the reward's
 * epochs, median stopping). Runs that differ in one of them score candidates on different scales,
 * so their curves are not comparable. The strategy and its seed (what a comparison is about), the
 * budget (curves are drawn against trials: a shorter run just ends sooner), the training seed and
 * the bookkeeping (attempts, snapshots) are left out.
 */
import type { RunConfigRecord } from '../store/index.ts';
import { encodeSearchSettings, parseSearchSettings } from '../../shared/search-settings.ts';

/** Top-level settings (and all they hold) that decide what a reward means. */
export const COMPARED_SETTINGS: readonly string[] = Object.freeze([
  'space',
  'dataset',
  'network',
  'training',
  'rewardEpochs',
  'medianStop',
]);

/** Settings under {@link COMPARED_SETTINGS} that may differ: the training seed is noise, not a scale. */
const IGNORED_SETTINGS: ReadonlySet<string> = new Set(['training.seed']);

/** A run's settings as compared: one value per dotted path (`training.epochs`), as printed. */
export type ComparableSettings = Readonly<Record<string, string>>;

/** One setting on which the runs differ: its dotted path and each run's value, in the runs' order. */
export interface SettingDifference {
  readonly key: string;
  readonly values: readonly string[];
}

/**
 * The compared settings of a run as its store keeps them (`where` names the run in an error): read
 * by the one search-settings schema, so a run written before a setting existed has its default.
 * `withBudget` adds `maxTrials` (a view that shows runs side by side may want to say it differs).
 */
export function comparableSettings(
  config: Pick<RunConfigRecord, 'space' | 'settings'>,
  where: string,
  options: { readonly withBudget?: boolean } = {},
): ComparableSettings {
  const settings = encodeSearchSettings(parseSearchSettings(config.settings, where));
  const flat: Record<string, string> = { space: config.space.name };
  if (options.withBudget === true) flatten('maxTrials', settings['maxTrials'], flat);
  for (const key of COMPARED_SETTINGS) {
    if (key in settings) flatten(key, settings[key], flat);
  }
  for (const key of IGNORED_SETTINGS) delete flat[key];
  return flat;
}

/**
 * The settings on which `runs` differ, in the order of the first run's keys (then any only later
 * runs have); a setting a run lacks is `-`. Empty when all agree (or there are fewer than two).
 */
export function settingsDiff(runs: readonly ComparableSettings[]): SettingDifference[] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run)))];
  const differences: SettingDifference[] = [];
  for (const key of keys) {
    const values = runs.map((run) => run[key] ?? '-');
    if (new Set(values).size > 1) differences.push({ key, values });
  }
  return differences;
}

/** Writes every leaf of `value` under `path` into `out`, objects as dotted paths. */
function flatten(path: string, value: unknown, out: Record<string, string>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out[path] = '{}';
    for (const [key, inner] of entries) flatten(`${path}.${key}`, inner, out);
    return;
  }
  if (value === undefined) return;
  out[path] = typeof value === 'string' ? value : value === null ? 'none' : JSON.stringify(value);
}
