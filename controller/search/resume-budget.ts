/**
 * A resumed search given a new `--trials`: the budget is checked against the trials the run already
 * holds and stored with the run's settings, so `status`, the live view and a later plain `--resume`
 * all see it. A budget below the trials the run holds is refused: they are kept and would all run.
 */
import { InvalidValueError } from '../../shared/errors.ts';
import {
  encodeSearchSettings,
  parseSearchSettings,
  type SearchSettings,
} from '../../shared/search-settings.ts';
import { openRunStore, type RunStore } from '../store/index.ts';

/**
 * Stores `maxTrials` (unchecked, as given on the command line) as the run's budget and returns the
 * new settings. Throws InvalidValueError naming `--trials` for a value the schema refuses or one
 * below the trials the run holds (finished, and interrupted ones that run again first).
 */
export function extendBudget(store: RunStore, maxTrials: unknown): SearchSettings {
  const stored = parseSearchSettings(store.config().settings, store.dir);
  const settings = parseSearchSettings({ ...encodeSearchSettings(stored), maxTrials }, '--trials');
  const counts = store.counts();
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  const held = finished + counts.queued + counts.running;
  if (settings.maxTrials !== null && settings.maxTrials < held) {
    const interrupted = held - finished;
    const message =
      `${settings.maxTrials} is fewer than the ${held} trials run ${store.dir} already holds ` +
      `(${finished} finished, ${interrupted} interrupted); allowed: ${held} or more, or null (no limit)`;
    throw new InvalidValueError('--trials of a resumed search', [{ path: '--trials', message }]);
  }
  if (settings.maxTrials !== stored.maxTrials)
    store.settingsChanged(encodeSearchSettings(settings));
  return settings;
}

/** {@link extendBudget} on the run in `dir`, before the search opens it (and before any trainer starts). */
export function extendRunBudget(dir: string, maxTrials: unknown): SearchSettings {
  const store = openRunStore(dir);
  try {
    return extendBudget(store, maxTrials);
  } finally {
    store.close();
  }
}
