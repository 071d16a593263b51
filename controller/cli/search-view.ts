/**
 * The live view of a search. On a terminal: a status line (done/total, best so far, trials/min,
 * trainers busy, elapsed, ETA) and the running trials with their epoch, redrawn in place on
 * stderr, with a line per finished trial printed above on stdout. In a log: the same facts as
 * timestamped lines. The text comes from search-format.ts; the state from search-progress.ts.
 */
import type { SearchOrFleetEvent } from '../search/search-events.ts';
import type { SearchSession } from '../search/search-session.ts';
import { LiveRegion, type ViewStreams } from './live-region.ts';
import { formatTimestamp, packParts } from './progress-format.ts';
import type { ProgressMode } from './progress-mode.ts';
import {
  finishedLine,
  fleetLine,
  retryLine,
  runningLines,
  runningSummary,
  statusLine,
  statusParts,
} from './search-format.ts';
import {
  SearchProgress,
  type SearchProgressStart,
  type SearchStatus,
  type TrainerLoad,
} from './search-progress.ts';

/** Draws search events. */
export interface SearchView {
  update(event: SearchOrFleetEvent, load: TrainerLoad): void;
  stop(): void;
}

/** What a search view starts from. */
export interface SearchViewOptions extends Omit<SearchProgressStart, 'startedAt'> {
  readonly mode: ProgressMode;
  /** Default: process.stdout and process.stderr. */
  readonly streams?: ViewStreams;
  /** The clock, in ms since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

/** How often the terminal view redraws (elapsed time and ETA move between events). */
const REDRAW_MS = 1000;
/** A log gets a status line at least this often while nothing finishes. */
const LOG_STATUS_MS = 60_000;
/** Running trials listed on a terminal at most (the last line then counts the rest). */
const MAX_RUNNING_LINES = 12;

/** A view of a search in the given mode. */
export function createSearchView(options: SearchViewOptions): SearchView {
  const now = options.now ?? Date.now;
  const streams = options.streams ?? { out: process.stdout, err: process.stderr };
  const progress = new SearchProgress({ ...options, startedAt: now() });
  switch (options.mode) {
    case 'tty':
      return terminalView(progress, streams, now);
    case 'lines':
      return logView(progress, streams, now);
    case 'none':
      return plainView(progress, streams);
  }
}

/**
 * The view `nas-ctl search` shows over `session`: its budget, the trials and best reward of
 * earlier sessions of the run, the epochs each trial trains, and the end `--time` sets (ms from now).
 */
export function openSearchView(
  session: SearchSession,
  mode: ProgressMode,
  timeMs: number | undefined,
): SearchView {
  const { store, pool } = session.driver;
  const counts = store.counts();
  return createSearchView({
    mode,
    total: session.settings.maxTrials,
    alreadyFinished: counts.succeeded + counts.failed + counts.cancelled,
    best: store.bestTrials(1)[0]?.reward ?? null,
    epochs: session.settings.training.epochs,
    deadline: timeMs === undefined ? null : Date.now() + timeMs,
    load: pool.load(),
  });
}

/**
 * The live block on a terminal of `rows` rows: the status, packed into lines that fit the width,
 * and as many running trials as fit below it, leaving a row free, so the block never scrolls.
 */
export function liveBlock(s: SearchStatus, columns: number | undefined, rows: number): string[] {
  const status = packParts(statusParts(s), columns).slice(0, Math.max(1, rows - 1));
  const fit = Math.min(MAX_RUNNING_LINES, rows - status.length - 1);
  return fit > 0 ? [...status, ...runningLines(s, fit)] : status;
}

/** The line an event prints above the live block or in the log (cut to `columns`), if any. */
function eventLine(event: SearchOrFleetEvent, columns?: number): string | null {
  switch (event.type) {
    case 'trial-finished':
      return finishedLine(event, columns);
    case 'trial-retry':
      return retryLine(event);
    case 'trial-queued':
    case 'trial-started':
    case 'trial-epoch':
      return null;
    case 'trainer-joined':
    case 'trainer-unreachable':
    case 'trainer-left':
    case 'discovery-warning':
      return fleetLine(event);
  }
}

function terminalView(
  progress: SearchProgress,
  streams: ViewStreams,
  now: () => number,
): SearchView {
  const region = new LiveRegion(streams.err);
  const unroute = region.routeNotes();
  const frame = (): string[] =>
    liveBlock(progress.status(now()), streams.err.columns, streams.err.rows ?? 24);
  const redraw = (): void => region.draw(frame());
  const timer = setInterval(redraw, REDRAW_MS);
  timer.unref();
  redraw();
  let stopped = false;
  return {
    update(event: SearchOrFleetEvent, load: TrainerLoad): void {
      progress.apply(event, load);
      const line = eventLine(event, streams.out.columns);
      if (line !== null) region.printAbove(streams.out, line);
      redraw();
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      unroute();
      region.clear();
      streams.err.write(statusLine(progress.status(now())) + '\n');
    },
  };
}

/** `--progress none`: the finished and re-dispatched trials' lines only, as they are. */
function plainView(progress: SearchProgress, streams: ViewStreams): SearchView {
  return {
    update(event: SearchOrFleetEvent, load: TrainerLoad): void {
      progress.apply(event, load);
      const line = eventLine(event, streams.out.columns);
      if (line !== null) streams.out.write(line + '\n');
    },
    stop: () => undefined,
  };
}

function logView(progress: SearchProgress, streams: ViewStreams, now: () => number): SearchView {
  const stamped = (text: string): string => `${formatTimestamp(now())} ${text}\n`;
  let lastStatus = now();
  let unreported = false;
  const status = (): void => {
    const s = progress.status(now());
    const running = s.running.length === 0 ? '' : ` | ${runningSummary(s)}`;
    streams.err.write(stamped(statusLine(s) + running));
    lastStatus = now();
    unreported = false;
  };
  const timer = setInterval(() => {
    if (now() - lastStatus >= LOG_STATUS_MS) status();
  }, REDRAW_MS * 5);
  timer.unref();
  status();
  let stopped = false;
  return {
    update(event: SearchOrFleetEvent, load: TrainerLoad): void {
      progress.apply(event, load);
      unreported = true;
      const line = eventLine(event, streams.out.columns);
      if (line !== null) streams.out.write(stamped(line));
      if (event.type === 'trial-finished') status();
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (unreported) status();
    },
  };
}
