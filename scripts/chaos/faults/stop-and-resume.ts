/**
 * kill -9 and SIGINT of a live `nas-ctl search` at a random moment mid-way (once a random number
 * of its trials finished and another runs, plus up to half a second), then `--resume` to completion.
 * Holds when the final run has exactly the budgeted trials, each finished once, and both trainers
 * are idle afterwards; for SIGINT also when nas-ctl exited promptly with its documented code (130).
 */
import { join } from 'node:path';
import {
  attemptBudget,
  between,
  type ChaosContext,
  type Fault,
  type RoundOutcome,
} from '../fault.ts';
import { STRATEGIES, TINY_TRIALS } from '../search-flags.ts';
import { awaitMidway, endWithin, startSearch, type SearchJob } from '../search-job.ts';
import { describeEnd, resumeProblems } from '../resume-to-end.ts';

/** A SIGINT run must be gone within this (nas-ctl's own tests allow the same). */
const PROMPTLY_MS = 15_000;
/** A whole tiny search, or its resume, on a loaded machine. */
const SEARCH_MS = 180_000;
/** The signal comes up to this long after the progress it waits for: a random moment in a trial. */
const MAX_JITTER_MS = 500;
/** What nas-ctl search exits with after a clean SIGINT stop (its --help). */
const SIGINT_EXIT = 130;

/** The fault that stops the search with `signal` (to its process group, as a terminal does). */
export function stopAndResume(name: string, signal: 'SIGKILL' | 'SIGINT'): Fault {
  return { name, run: (ctx, round, attempt) => oneRound(ctx, round, attempt, signal) };
}

async function oneRound(
  ctx: ChaosContext,
  round: number,
  attempt: number,
  signal: 'SIGKILL' | 'SIGINT',
): Promise<RoundOutcome> {
  const budget = attemptBudget(ctx.budget, attempt);
  const dir = join(ctx.registry.tempDir('stop'), 'run');
  const trainers = ctx.shared.map((t) => t.address).join(',');
  const strategy = STRATEGIES[round % STRATEGIES.length] ?? 'random';
  const first = startSearch(ctx.registry, [
    ...['--strategy', strategy, '--seed', String(ctx.rng.int(1000)), '--run-dir', dir],
    ...['--trials', String(budget), '--trainers', trainers],
    ...TINY_TRIALS,
  ]);
  const after = ctx.rng.int(budget - 1);
  const jitterMs = between(ctx.rng, 0, MAX_JITTER_MS);
  const running = await awaitMidway(first, after, SEARCH_MS, jitterMs);
  if (running === undefined) {
    ctx.registry.killGroup(first.pid);
    return { kind: 'missed', note: `the search ended before ${after} finished and one running` };
  }
  const sentAt = Date.now();
  ctx.registry.signalGroup(first.pid, signal);
  const into = ((sentAt - running.at) / 1000).toFixed(1);
  const moment = `${strategy}, ${after} of ${budget} finished, a trial ${into} s in`;
  const stopProblem = await checkStop(first, signal, sentAt);
  ctx.registry.killGroup(first.pid);
  if (stopProblem !== null && finishedBudget(first, budget)) {
    // Its progress lines lag the run: the last trials finished before the signal landed.
    return {
      kind: 'missed',
      note: `the search finished all ${budget} trials before the ${signal}`,
    };
  }
  const exitS = ((first.end()?.at ?? Date.now()) - sentAt) / 1000;
  const problems = stopProblem === null ? [] : [stopProblem];
  problems.push(...(await resumeProblems(ctx, dir, budget, first)));
  const note = problems.length === 0 ? moment : `${moment}: ${problems.join('; ')}`;
  const kind = problems.length === 0 ? 'held' : 'failed';
  return signal === 'SIGINT' ? { kind, note, seconds: exitS } : { kind, note };
}

/** Whether the run's closing summary says it finished every trial of its budget. */
function finishedBudget(job: SearchJob, budget: number): boolean {
  return job.stderr().includes(`summary: ${budget} trials finished`);
}

/** What is wrong with how the stopped run ended; null when it ended as it should. */
async function checkStop(
  job: SearchJob,
  signal: 'SIGKILL' | 'SIGINT',
  sentAt: number,
): Promise<string | null> {
  const end = await endWithin(job, signal === 'SIGINT' ? PROMPTLY_MS : 5_000);
  if (end === null) return `still running ${(Date.now() - sentAt) / 1000} s after ${signal}`;
  if (signal === 'SIGKILL') return null;
  if (end.code !== SIGINT_EXIT) return `SIGINT run exited ${describeEnd(job)}, expected 130`;
  return null;
}
