/**
 * A real `nas-ctl search --json` process: its events with the time each was read, its stderr, and
 * how it ended. The campaign's clock for "noticed after" is the time an event's line arrives.
 */
import { createInterface } from 'node:readline';
import type { SearchEvent } from '../../controller/search/search-events.ts';
import { sleep, type ProcessRegistry } from './processes.ts';

const CTL_BIN = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;

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
  readonly events: readonly TimedEvent[];
  stderr(): string;
  /** Resolves when nas-ctl exited and its output was read to the end. */
  readonly ended: Promise<JobEnd>;
  /** The end, or null while it runs. */
  end(): JobEnd | null;
}

/** Starts `nas-ctl search --json ...args`. */
export function startSearch(registry: ProcessRegistry, args: readonly string[]): SearchJob {
  const { child, pid } = registry.spawnNode(CTL_BIN, ['search', '--json', ...args]);
  const events: TimedEvent[] = [];
  let stderr = '';
  let end: JobEnd | null = null;
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  if (child.stdout === null) throw new Error('nas-ctl stdout is not piped');
  createInterface({ input: child.stdout }).on('line', (line) => {
    const event = parseEvent(line);
    if (event !== null) events.push({ at: Date.now(), event });
  });
  const ended = new Promise<JobEnd>((resolve) =>
    child.once('close', (code, signal) => {
      end = { code, signal, at: Date.now() };
      resolve(end);
    }),
  );
  return { pid, events, stderr: () => stderr, ended, end: () => end };
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
