/**
 * kill -9 and SIGINT of a live `nas-ctl search` at a random moment, then `--resume` to completion.
 * Holds when the final run has exactly the budgeted trials, each finished once, and both trainers
 * are idle afterwards; for SIGINT also when nas-ctl exited promptly with its documented code (130).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { between, type ChaosContext, type Fault, type RoundOutcome } from '../fault.ts';
import { sleep } from '../processes.ts';
import { runProblems } from '../run-invariant.ts';
import { STRATEGIES, TINY_TRIALS } from '../search-flags.ts';
import { endWithin, finishedIds, startSearch, waitFor, type SearchJob } from '../search-job.ts';
import { waitIdle } from '../trainer-probe.ts';

/** A SIGINT run must be gone within this (nas-ctl's own tests allow the same). */
const PROMPTLY_MS = 15_000;
/** A whole tiny search, or its resume, on a loaded machine. */
const SEARCH_MS = 180_000;
/** What nas-ctl search exits with after a clean SIGINT stop (its --help). */
const SIGINT_EXIT = 130;

/** The fault that stops the search with `signal` (to its process group, as a terminal does). */
export function stopAndResume(name: string, signal: 'SIGKILL' | 'SIGINT'): Fault {
  return { name, run: (ctx, round) => oneRound(ctx, round, signal) };
}

async function oneRound(
  ctx: ChaosContext,
  round: number,
  signal: 'SIGKILL' | 'SIGINT',
): Promise<RoundOutcome> {
  const dir = join(ctx.registry.tempDir('stop'), 'run');
  const trainers = ctx.shared.map((t) => t.address).join(',');
  const strategy = STRATEGIES[round % STRATEGIES.length] ?? 'random';
  const first = startSearch(ctx.registry, [
    ...['--strategy', strategy, '--seed', String(ctx.rng.int(1000)), '--run-dir', dir],
    ...['--trials', String(ctx.budget), '--trainers', trainers],
    ...TINY_TRIALS,
  ]);
  const afterFinished = ctx.rng.int(ctx.budget - 1);
  const extraMs = between(ctx.rng, 0, 1500);
  await waitFor(first, () => finishedIds(first.events).length >= afterFinished, SEARCH_MS);
  await sleep(extraMs);
  const moment = `${strategy}, after ${afterFinished} finished + ${(extraMs / 1000).toFixed(1)} s`;
  if (first.end() !== null) return { kind: 'missed', note: `ended before the ${signal}` };
  const sentAt = Date.now();
  ctx.registry.signalGroup(first.pid, signal);
  const stopProblem = await checkStop(first, signal, sentAt);
  ctx.registry.killGroup(first.pid);
  const exitS = ((first.end()?.at ?? Date.now()) - sentAt) / 1000;
  // Stopped while it still checked its flags and trainers: no run exists, so nothing can be lost.
  if (!existsSync(dir)) return { kind: 'missed', note: `${signal} came before the run existed` };
  const second = startSearch(ctx.registry, ['--resume', dir, '--trainers', trainers]);
  const resumed = await endWithin(second, SEARCH_MS);
  const problems = stopProblem === null ? [] : [stopProblem];
  if (resumed?.code !== 0) problems.push(`resume ended ${describeEnd(second)}`);
  else problems.push(...runProblems(dir, ctx.budget, [first.events, second.events]));
  for (const t of ctx.shared) {
    const busy = await waitIdle(t.address, 5_000);
    if (busy !== null) problems.push(`not idle afterwards: ${busy}`);
  }
  ctx.registry.killGroup(second.pid);
  const note = problems.length === 0 ? moment : `${moment}: ${problems.join('; ')}`;
  const kind = problems.length === 0 ? 'held' : 'failed';
  return signal === 'SIGINT' ? { kind, note, seconds: exitS } : { kind, note };
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

function describeEnd(job: SearchJob): string {
  const end = job.end();
  if (end === null) return 'not at all (still running)';
  const last = job.stderr().trim().split('\n').at(-1) ?? '';
  return `with ${end.code ?? end.signal}${last === '' ? '' : ` (${last.slice(0, 200)})`}`;
}
