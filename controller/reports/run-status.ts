/** `nas-ctl status`: where a run stands, computed from its store alone. */
import { formatDatasetSpec } from '../../shared/dataset-spec.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { printable } from '../../shared/printable.ts';
import { parseSearchSettings, type SearchSettings } from '../../shared/search-settings.ts';
import type { RunStore, TrialCounts } from '../store/index.ts';
import { formatReward, isoTime } from './text-table.ts';

/** How many failures the status lists. */
export const RECENT_FAILURES = 5;

/** A run's status, as `status --json` prints it. Times are ISO 8601 UTC. */
export interface RunStatus {
  readonly dir: string;
  readonly strategy: string;
  readonly seed: number;
  readonly space: string;
  readonly createdAt: string | null;
  /** The search's settings as stored (strategy options included), or why they do not parse. */
  readonly settings: SearchSettings | { readonly error: string };
  readonly trials: TrialCounts & { readonly total: number; readonly finished: number };
  readonly best: {
    readonly trialId: number;
    readonly reward: number;
    readonly hash: string;
  } | null;
  /** Finished trials per minute between the first trial queued and the last one finished. */
  readonly trialsPerMinute: number | null;
  readonly firstTrialAt: string | null;
  readonly lastFinishedAt: string | null;
  /** The last failures, most recent first. */
  readonly recentFailures: readonly { readonly trialId: number; readonly reason: string }[];
}

/** The status of the run in `store`. */
export function runStatus(store: RunStore): RunStatus {
  const config = store.config();
  const counts = store.counts();
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  const [best] = store.bestTrials(1);
  const span = store.span();
  const minutes =
    span.firstCreatedAt === null || span.lastFinishedAt === null
      ? 0
      : (span.lastFinishedAt - span.firstCreatedAt) / 60_000;
  return {
    dir: store.dir,
    strategy: config.strategy,
    seed: config.seed,
    space: config.space.name,
    createdAt: isoTime(config.createdAt),
    settings: storedSettings(store),
    trials: { ...counts, total: finished + counts.queued + counts.running, finished },
    best:
      best === undefined || best.reward === null
        ? null
        : { trialId: best.id, reward: best.reward, hash: best.hash },
    trialsPerMinute: finished > 0 && minutes > 0 ? finished / minutes : null,
    firstTrialAt: isoTime(span.firstCreatedAt),
    lastFinishedAt: isoTime(span.lastFinishedAt),
    recentFailures: store
      .recentFailures(RECENT_FAILURES)
      .map((t) => ({ trialId: t.id, reason: t.reason })),
  };
}

/**
 * The status as text for people. Every line goes through {@link printable}: the run's directory,
 * stored settings and trainers' reasons come from outside, and no control in them reaches a terminal.
 */
export function formatRunStatus(s: RunStatus): string {
  const t = s.trials;
  const lines = [
    `run       ${s.dir}`,
    `strategy  ${s.strategy}   seed ${s.seed}   space ${s.space}`,
    ...settingsLines(s.settings),
    `trials    ${t.total}: ${t.succeeded} succeeded, ${t.failed} failed, ${t.cancelled} cancelled, ` +
      `${t.running} running, ${t.queued} queued`,
    ...budgetLine(s),
    s.best === null
      ? 'best      none yet'
      : `best      ${formatReward(s.best.reward)}  (trial ${s.best.trialId}, hash ${s.best.hash})`,
    `rate      ${s.trialsPerMinute === null ? '-' : s.trialsPerMinute.toFixed(2)} trials/min`,
    `first     ${s.firstTrialAt ?? '-'}`,
    `last      ${s.lastFinishedAt ?? '-'}`,
  ];
  if (s.recentFailures.length > 0) {
    lines.push('recent failures:');
    for (const f of s.recentFailures) lines.push(`  trial ${f.trialId}: ${oneLine(f.reason)}`);
  }
  return lines.map((line) => printable(line)).join('\n') + '\n';
}

/** The trial budget (`--trials`, extended by `search --resume --trials`) and what is left of it. */
function budgetLine(s: RunStatus): string[] {
  if ('error' in s.settings) return [];
  const max = s.settings.maxTrials;
  if (max === null) return ['budget    unlimited trials'];
  const left = Math.max(0, max - s.trials.finished);
  return [`budget    ${max} trials: ${s.trials.finished} finished, ${left} to go`];
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat || '(no reason given)';
}

function storedSettings(store: RunStore): RunStatus['settings'] {
  try {
    return parseSearchSettings(store.config().settings, store.dir);
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    return { error: err.message.replace(/\s*\n\s*/g, ' ') };
  }
}

/** The strategy's options and the search's own settings, a line each. */
function settingsLines(settings: RunStatus['settings']): string[] {
  if ('error' in settings) return [`settings  ${settings.error}`];
  const options = Object.fromEntries(
    Object.entries(settings.strategy).filter(([k]) => k !== 'name' && k !== 'seed'),
  );
  const pairs = (o: Readonly<Record<string, unknown>>): string =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join(', ');
  const median =
    settings.medianStop === null ? 'off' : `minTrials ${settings.medianStop.minTrials}`;
  return [
    `options   ${pairs(options) || '(none)'}`,
    `search    maxTrials ${settings.maxTrials ?? 'unlimited'}, maxAttempts ${settings.maxAttempts}, ` +
      `snapshotEvery ${settings.snapshotEvery}, rewardEpochs ${settings.rewardEpochs}, ` +
      `reuseDuplicates ${String(settings.reuseDuplicates)}, medianStop ${median}`,
    `dataset   ${formatDatasetSpec(settings.dataset)}`,
  ];
}
