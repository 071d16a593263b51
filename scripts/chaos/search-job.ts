/**
 * A real `nas-ctl search` process: with `--json`, its events with the time each was read; its
 * stderr, all it printed, and how it ended. The campaign's clock for "noticed after" is the time an
 * event's line arrives.
 */
import { createInterface } from 'node:readline';
import type { SearchEvent } from '../../controller/search/search-events.ts';
import { sleep, type ProcessRegistry } from './processes.ts';

/** The nas-ctl the campaign runs. */
export const CTL_BIN = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;

/** How much of what a search printed {@link SearchJob.output} keeps (the first of it). */
const OUTPUT_CHARS = 2_000_000;

/** One event and when it was read (ms since the epoch). */
export interface TimedEvent {
  readonly at: number;
  readonly event: SearchEvent;
}

/** How the job ended. */
export interface JobEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Ms since the epoch. */
  readonly at: number;
}

/** A running search. */
export interface SearchJob {
  /** nas-ctl's pid, also its process group's id. */
  readonly pid: number;
  /** Its events; empty without `--json`. */
  readonly events: readonly TimedEvent[];
  /** The last 8000 characters of its stderr. */
  stderr(): string;
  /** Everything it printed on stdout and stderr, as read (up to two million characters). */
  output(): string;
  /** Resolves when nas-ctl exited and its output was read to the end. */
  readonly ended: Promise<JobEnd>;
  /** The end, or null while it runs. */
  end(): JobEnd | null;
}

/**
 * Starts `nas-ctl search --json ...args`, or with `json: false` `nas-ctl search --progress lines
 * ...args` (what a person reads in a log).
 */
export function startSearch(
  registry: ProcessRegistry,
  args: readonly string[],
  { json = true }: { readonly json?: boolean } = {},
): SearchJob {
  const mode = json ? ['--json'] : ['--progress', 'lines'];
  const { child, pid } = registry.spawnNode(CTL_BIN, ['search', ...mode, ...args]);
  const events: TimedEvent[] = [];
  let stderr = '';
  let output = '';
  let end: JobEnd | null = null;
  if (child.stdout === null || child.stderr === null) throw new Error('nas-ctl is not piped');
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const keep = (text: string): void => void (output = (output + text).slice(0, OUTPUT_CHARS));
  child.stdout.on('data', keep);
  child.stderr.on('data', (text: string) => {
    keep(text);
    stderr = (stderr + text).slice(-8000);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const event = json ? parseEvent(line) : null;
    if (event !== null) events.push({ at: Date.now(), event });
  });
  const ended = new Promise<JobEnd>((resolve) =>
    child.once('close', (code, signal) => {
      end = { code, signal, at: Date.now() };
      resolve(end);
    }),
  );
  return { pid, events, stderr: () => stderr, output: () => output, ended, end: () => end };
}

/** A line of `--json` output as an event; null for anything else (never expected). */
function parseEvent(line: string): SearchEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    return isSearchEvent(value) ? value : null;
  } catch {
    return null;
  }
}

function isSearchEvent(value: unknown): value is SearchEvent {
  return typeof value === 'object' && value !== null && 'type' in value && 'trialId' in value;
}

/**
 * Waits until `done()` holds (true), the job ended (false) or `timeoutMs` passed (false), polling
 * every 20 ms.
 */
export async function waitFor(
  job: SearchJob,
  done: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (job.end() !== null || Date.now() > deadline) return done();
    await sleep(20);
  }
  return true;
}

/** Resolves with the job's end, or null when it is still running after `timeoutMs`. */
export async function endWithin(job: SearchJob, timeoutMs: number): Promise<JobEnd | null> {
  const timeout = sleep(timeoutMs).then(() => null);
  return Promise.race([job.ended, timeout]);
}

/** The ids of the trials the events report finished, in order (with repeats, if any). */
export function finishedIds(events: readonly TimedEvent[]): number[] {
  return events.flatMap(({ event }) => (event.type === 'trial-finished' ? [event.trialId] : []));
}

/**
 * The progress a fault is timed against: at least `finished` trials reported finished and one
 * trial running now (started, not finished), so that the search is mid-way and has more to do.
 * Returns that trial's start, or undefined while the search is not there (yet).
 */
export function midway(events: readonly TimedEvent[], finished: number): TimedEvent | undefined {
  const done = finishedIds(events);
  if (done.length < finished) return undefined;
  return [...events]
    .reverse()
    .find(({ event }) => event.type === 'trial-started' && !done.includes(event.trialId));
}

/**
 * Waits for {@link midway}`(finished)` (up to `timeoutMs`), then `jitterMs` more (a random moment
 * within the trial). Resolves with the running trial's start, or undefined when the search ended
 * first: the fault cannot be injected into it.
 */
export async function awaitMidway(
  job: SearchJob,
  finished: number,
  timeoutMs: number,
  jitterMs = 0,
): Promise<TimedEvent | undefined> {
  await waitFor(job, () => midway(job.events, finished) !== undefined, timeoutMs);
  const running = midway(job.events, finished);
  if (running === undefined) return undefined;
  if (jitterMs > 0) await sleep(jitterMs);
  return job.end() === null ? running : undefined;
}
