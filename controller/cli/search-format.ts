/**
 * The text of the search views, as pure functions of a {@link SearchStatus} or an event: the
 * status line, the running trials (one line each on a terminal, one summary in a log), and the
 * lines of finished and re-dispatched trials. What trainers send and what names them (reasons,
 * addresses, discovery messages) goes through {@link printable}: no terminal escape passes.
 */
import { formatPercent } from '../../shared/percent.ts';
import { printable } from '../../shared/printable.ts';
import type { FleetEvent, SearchEvent, TrialFinishedEvent } from '../search/search-events.ts';
import type { RunningTrial, SearchStatus } from './search-progress.ts';
import { fitWidth, formatDuration, formatRate } from './progress-format.ts';
import { readableReason } from './search-summary.ts';

type RetryEvent = Extract<SearchEvent, { type: 'trial-retry' }>;

/**
 * `search 7/40 (17.50%) | best 83.10% | 2.3 trials/min | trainers 2/2 busy, 1 down | elapsed 3m02s |
 * ETA 14m20s`. An open-ended search shows `search 7 done` and an ETA only when `--time` ends it.
 */
export function statusLine(s: SearchStatus): string {
  return statusParts(s).join(' | ');
}

/** The facts of {@link statusLine}, one string each (a narrow terminal packs them into several lines). */
export function statusParts(s: SearchStatus): string[] {
  const done = s.total === null ? `${s.done} done` : `${s.done}/${s.total} (${progress(s)})`;
  const down = s.load.down > 0 ? `, ${s.load.down} down` : '';
  const parts = [
    `search ${done}`,
    `best ${formatPercent(s.best)}`,
    `${formatRate(s.trialsPerMinute ?? 0)} trials/min`,
    `trainers ${s.load.busy}/${s.load.total} busy${down}`,
    `elapsed ${formatDuration(s.elapsedMs)}`,
  ];
  const ends = s.total !== null || s.etaMs !== null;
  if (ends) parts.push(`ETA ${formatDuration(s.etaMs)}`);
  return parts;
}

function progress(s: SearchStatus): string {
  return formatPercent(s.total === null || s.total === 0 ? 1 : Math.min(1, s.done / s.total));
}

/** The epoch a running trial is in (`epoch 2/3`), or `epoch 3/3 done` once it trained them all. */
export function trialEpoch(t: RunningTrial, epochs: number): string {
  if (t.epochsDone >= epochs) return `epoch ${epochs}/${epochs} done`;
  return `epoch ${t.epochsDone + 1}/${epochs}`;
}

/** One running trial, for the live block: `  trial 8  epoch 2/3  val 45.31%  on host:port`. */
export function runningLine(t: RunningTrial, epochs: number): string {
  const accuracy =
    t.validationAccuracy === null ? '' : `  val ${formatPercent(t.validationAccuracy)}`;
  return `  trial ${t.trialId}  ${trialEpoch(t, epochs)}${accuracy}  on ${printable(t.trainer)}`;
}

/**
 * The running trials for a terminal's live block: at most `max` lines, the last one saying how
 * many more there are when they do not all fit.
 */
export function runningLines(s: SearchStatus, max: number): string[] {
  if (s.running.length <= max) return s.running.map((t) => runningLine(t, s.epochs));
  const shown = s.running.slice(0, Math.max(0, max - 1)).map((t) => runningLine(t, s.epochs));
  return [...shown, `  ... and ${s.running.length - shown.length} more trials running`];
}

/** The running trials in one clause for a log line: `running trial 8 epoch 2/3, trial 9 epoch 1/3`. */
export function runningSummary(s: SearchStatus, max = 8): string {
  if (s.running.length === 0) return 'no trial running';
  const named = s.running.slice(0, max).map((t) => `trial ${t.trialId} ${trialEpoch(t, s.epochs)}`);
  const more = s.running.length > max ? `, +${s.running.length - max} more` : '';
  return `running ${named.join(', ')}${more}`;
}

/**
 * `trial 7 succeeded reward 83.10%  <hash>`, with the reason when it did not succeed: one line,
 * without the trainer's address or a stack, and the whole line cut to `columns` when given.
 */
export function finishedLine(e: TrialFinishedEvent, columns?: number): string {
  const how = e.reused ? 'reused' : e.status;
  const extra = e.status === 'succeeded' ? '' : `  (${readableReason(e.reason)})`;
  const line = `trial ${e.trialId} ${how.padEnd(9)} reward ${formatPercent(e.reward).padStart(6)}  ${printable(e.hash)}${extra}`;
  return columns === undefined ? line : fitWidth(line, columns);
}

/** `trial 7 re-dispatched: <why>` (the reason names the trainer it left). */
export function retryLine(e: RetryEvent): string {
  return `trial ${e.trialId} re-dispatched: ${printable(e.reason)}`;
}

/**
 * A change of the fleet in one line: `trainer 10.0.0.3:50051 joined (1 slot)`, `trainer ... does not
 * answer: connection refused: is nas-trainer serve running there, on that port? (asking again in the
 * background)`, `trainer ... left (no longer resolved); its 1 running trial finishes first`.
 */
export function fleetLine(e: FleetEvent): string {
  return printable(fleetText(e));
}

function fleetText(e: FleetEvent): string {
  switch (e.type) {
    case 'trainer-joined':
      return `trainer ${e.trainer} joined (${e.capacity} slot${e.capacity === 1 ? '' : 's'})`;
    case 'trainer-unreachable':
      return `trainer ${e.trainer} does not answer: ${e.reason} (asking again in the background)`;
    case 'trainer-left':
      return `trainer ${e.trainer} left (no longer resolved)${e.running === 0 ? '' : `; its ${e.running} running trial${e.running === 1 ? '' : 's'} finish${e.running === 1 ? 'es' : ''} first`}`;
    case 'discovery-warning':
      return `trainers: ${e.message}`;
  }
}
