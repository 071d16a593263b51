/**
 * The summary `nas-ctl search` ends with: how many trials succeeded, failed and were cancelled, and
 * the commonest failure reasons with their counts, one readable line each. A search in which every
 * finished trial failed found nothing: it exits with 1. With `--json` the same facts, and the best
 * trial, end stdout as one `summary` event.
 */
import type { Genotype } from '../../shared/genotype.ts';
import { printable } from '../../shared/printable.ts';
import type { RunStore, TrialCounts } from '../store/index.ts';

/** Failure reasons listed at most; the rest are counted in one line. */
const TOP_REASONS = 3;
/** Longest reason quoted, in characters. */
const MAX_REASON = 240;

/** The summary's lines and whether the search found nothing (every finished trial failed). */
export interface SearchSummary {
  readonly lines: readonly string[];
  readonly allFailed: boolean;
}

/** The summary of a run with these counts, given the reason of each of its failed trials. */
export function summarizeSearch(
  counts: TrialCounts,
  failureReasons: readonly string[],
): SearchSummary {
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  const cancelled = counts.cancelled > 0 ? `, ${counts.cancelled} cancelled` : '';
  const lines = [
    `summary: ${finished} trial${finished === 1 ? '' : 's'} finished: ${counts.succeeded} succeeded, ${counts.failed} failed${cancelled}`,
  ];
  const ranked = rankReasons(failureReasons);
  for (const [reason, count] of ranked.slice(0, TOP_REASONS)) lines.push(`  ${count} x ${reason}`);
  const rest = ranked.slice(TOP_REASONS);
  if (rest.length > 0) {
    const trials = rest.reduce((sum, [, count]) => sum + count, 0);
    lines.push(
      `  ${trials} more failed for ${rest.length} other reason${rest.length === 1 ? '' : 's'} (nas-ctl status shows every trial)`,
    );
  }
  const allFailed = finished > 0 && counts.failed === finished;
  if (allFailed) lines.push('nas-ctl: every trial failed, so the search found nothing');
  return { lines, allFailed };
}

/**
 * Writes the summary of the run in `store` (on stdout; on stderr with `--json`, whose stdout holds
 * events only) and returns it.
 */
export function printSearchSummary(
  store: Pick<RunStore, 'counts' | 'trials'>,
  json: boolean,
): SearchSummary {
  const reasons = store.trials({ status: ['failed'] }).map((t) => t.reason);
  const summary = summarizeSearch(store.counts(), reasons);
  const out = json ? process.stderr : process.stdout;
  out.write(summary.lines.map((line) => `${line}\n`).join(''));
  return summary;
}

/** Why a search ended: its trial budget was spent, `--time` ran out, or a signal stopped it. */
export type SearchStopReason = 'budget' | 'time' | NodeJS.Signals;

/**
 * The last line of `search --json`: the facts of the human summary as one JSON event. Rewards are
 * fractions; `durationSeconds` is this invocation's (a resumed run counts from its resumption).
 */
export interface SearchSummaryEvent {
  readonly type: 'summary';
  readonly command: 'search';
  readonly runDir: string;
  readonly stopReason: SearchStopReason;
  readonly durationSeconds: number;
  readonly trials: TrialCounts & { readonly finished: number };
  /** Every distinct failure reason with its count, commonest first. */
  readonly failureReasons: readonly { readonly reason: string; readonly count: number }[];
  readonly best: {
    readonly trialId: number;
    readonly reward: number;
    readonly hash: string;
    readonly genotype: Genotype;
  } | null;
}

/** The summary event of the run in `store`, which stopped for `stopReason` after `durationMs`. */
export function searchSummaryEvent(
  store: Pick<RunStore, 'counts' | 'trials' | 'bestTrials'>,
  facts: {
    readonly runDir: string;
    readonly stopReason: SearchStopReason;
    readonly durationMs: number;
  },
): SearchSummaryEvent {
  const counts = store.counts();
  const reasons = store.trials({ status: ['failed'] }).map((t) => t.reason);
  const best = store.bestTrials(1)[0];
  return {
    type: 'summary',
    command: 'search',
    runDir: facts.runDir,
    stopReason: facts.stopReason,
    durationSeconds: Math.round(facts.durationMs) / 1000,
    trials: { ...counts, finished: counts.succeeded + counts.failed + counts.cancelled },
    failureReasons: rankReasons(reasons).map(([reason, count]) => ({ reason, count })),
    best:
      best === undefined || best.reward === null
        ? null
        : { trialId: best.id, reward: best.reward, hash: best.hash, genotype: best.genotype },
  };
}

/**
 * Why a search with these counts ended: its budget when `maxTrials` trials finished (a signal that
 * came after changes nothing), else the signal that stopped it, else `--time`.
 */
export function searchStopReason(
  counts: TrialCounts,
  maxTrials: number | null,
  signal: NodeJS.Signals | null,
): SearchStopReason {
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  if (maxTrials !== null && finished >= maxTrials) return 'budget';
  return signal ?? 'time';
}

/**
 * Distinct reasons with their counts, commonest first (ties: the reason seen first). Reasons that
 * differ only in their numbers (a memory estimate, a file's size) are one reason, shown as first seen.
 */
function rankReasons(reasons: readonly string[]): [string, number][] {
  const groups = new Map<string, { shown: string; count: number; varies: boolean }>();
  for (const reason of reasons) {
    const line = readableReason(reason);
    const key = line.replace(/\d+(\.\d+)?/g, '#');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { shown: line, count: 1, varies: false });
    else {
      group.count++;
      group.varies ||= group.shown !== line;
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count)
    .map((g) => [g.varies ? `${g.shown} (numbers vary)` : g.shown, g.count]);
}

/**
 * A reason as one line, without the trainer's address (the same failure on two trainers is one
 * reason): its first line, whitespace collapsed, control characters escaped ({@link printable}), cut
 * to {@link MAX_REASON} characters.
 */
export function readableReason(reason: string): string {
  const first = (reason.split('\n')[0] ?? '').replace(/^trainer \S+: /, '');
  const line = printable(first.replace(/\s+/g, ' ').trim()) || '(no reason given)';
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON)}...` : line;
}
