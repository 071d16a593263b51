/**
 * A full disk under a running search: its run directory lies on a small tmpfs, which the campaign
 * fills to the last byte once the search is mid-way (some trials finished, one running). Holds
 * when nas-ctl stops by itself within {@link STOP_MS} with a non-zero exit and one message saying
 * the disk is full (no stack trace), and, once the space is freed, `--resume` completes the run:
 * every budgeted trial finished exactly once, `nas-ctl doctor` finding nothing, the trainers idle.
 * Missed (and so short) where the campaign may not mount a tmpfs (it needs root).
 */
import { join } from 'node:path';
import { attemptBudget, type ChaosContext, type Fault, type RoundOutcome } from '../fault.ts';
import { stackLines } from '../ctl-command.ts';
import { TINY_TRIALS } from '../search-flags.ts';
import { mountSmallDisk } from '../small-disk.ts';
import { endWithin, awaitMidway, startSearch, type SearchJob } from '../search-job.ts';
import { resumeProblems } from '../resume-to-end.ts';

/** The disk: room for a small run's database, journal and snapshots many times over. */
const DISK_BYTES = 32 << 20;
/** nas-ctl must notice and stop this soon after the disk filled (its next write, a trial away). */
const STOP_MS = 60_000;
/** A whole tiny search, or its resume, on a loaded machine. */
const SEARCH_MS = 180_000;
/** What a message about a full disk says, in some words. */
const DISK_FULL = /disk is full|disk full|no space|ENOSPC|SQLITE_FULL/i;

/** The disk-full fault. */
export const diskFull: Fault = { name: 'disk full', run: oneRound };

async function oneRound(ctx: ChaosContext, round: number, attempt: number): Promise<RoundOutcome> {
  const disk = mountSmallDisk(ctx.registry, 'disk', DISK_BYTES);
  if (typeof disk === 'string') return { kind: 'missed', note: disk };
  try {
    const budget = attemptBudget(ctx.budget, attempt);
    const dir = join(disk.dir, 'run');
    const trainers = ctx.shared.map((t) => t.address).join(',');
    const first = startSearch(ctx.registry, [
      ...['--strategy', 'random', '--seed', String(ctx.rng.int(1000)), '--run-dir', dir],
      ...['--trials', String(budget), '--trainers', trainers, ...TINY_TRIALS],
    ]);
    const after = 1 + ctx.rng.int(budget - 2);
    if ((await awaitMidway(first, after, SEARCH_MS)) === undefined) {
      ctx.registry.killGroup(first.pid);
      return { kind: 'missed', note: `the search ended before ${after} finished and one running` };
    }
    const filledAt = Date.now();
    const filled = disk.fill();
    const end = await endWithin(first, STOP_MS);
    const seconds = ((end?.at ?? Date.now()) - filledAt) / 1000;
    ctx.registry.killGroup(first.pid);
    const problems = stopProblems(first, seconds);
    disk.free();
    problems.push(...(await resumeProblems(ctx, dir, budget, first)));
    const note = `filled (${(filled / 1024).toFixed(0)} KiB) after ${after} finished, one running; nas-ctl said: ${fullMessage(first)}`;
    return problems.length === 0
      ? { kind: 'held', note, seconds }
      : { kind: 'failed', note: `${note}: ${problems.join('; ')}`, seconds };
  } finally {
    disk.unmount();
  }
}

/** The first line of the search's stderr about the full disk (cut short), or '' when none. */
function fullMessage(job: SearchJob): string {
  const line =
    job
      .stderr()
      .split('\n')
      .find((l) => DISK_FULL.test(l)) ?? '';
  return line.trim().slice(0, 160);
}

/** What is wrong with how the search stopped on the full disk. */
function stopProblems(job: SearchJob, seconds: number): string[] {
  const end = job.end();
  const last = job.stderr().trim().split('\n').at(-1)?.slice(0, 200) ?? '';
  if (end === null) return [`still running ${seconds.toFixed(0)} s after the disk filled`];
  const problems: string[] = [];
  if (end.code === 0) problems.push(`exited 0 on a full disk (${last})`);
  if (!DISK_FULL.test(job.stderr())) problems.push(`no message says the disk is full (${last})`);
  const stack = stackLines(job.stderr());
  if (stack.length > 0)
    problems.push(
      `printed a stack trace of ${stack.length} lines (${stack[0]?.trim()}; above it: ${above(job.stderr())})`,
    );
  return problems;
}

/** The stderr line just before the first stack line: the error's own message. */
function above(stderr: string): string {
  const lines = stderr.split('\n');
  const first = lines.findIndex((line) => /^\s+at \S/.test(line));
  return (lines[first - 1] ?? '').trim().slice(0, 200);
}
