/**
 * The set-up the trainer faults share: two fresh trainers, a search over both, and the moment to
 * strike: a random 1-4 s into the first trial, observed as it starts. Whichever trainer the pool
 * gave that trial is the victim, the other the survivor.
 */
import { join } from 'node:path';
import type { TrialRecord } from '../../../controller/store/index.ts';
import { between, type ChaosContext } from '../fault.ts';
import { sleep } from '../processes.ts';
import { storedTrials } from '../run-invariant.ts';
import { longTrials } from '../search-flags.ts';
import {
  finishedIds,
  startSearch,
  waitFor,
  type SearchJob,
  type TimedEvent,
} from '../search-job.ts';
import { startTrainer, type TrainerProcess } from '../trainer-process.ts';

/** A search whose trial `trialId` runs on `victim` now. */
export interface VictimSearch {
  readonly victim: TrainerProcess;
  /** The other trainer's address. */
  readonly survivor: string;
  /** The other trainer's pid (its process group's id), for stopping it after the round. */
  readonly survivorPid: number;
  readonly job: SearchJob;
  readonly dir: string;
  readonly trialId: number;
  /** Seconds into the trial when the fault comes. */
  readonly intoTrialS: number;
}

/** Waiting for the first trial to start: trainers connect and the run opens in seconds. */
const START_MS = 60_000;

/**
 * Starts two fresh trainers and a search of `trials` trials over both, and waits for the strike
 * moment: a random 1-4 s after the first trial started (on either: that one is the victim; the
 * campaign stops both trainers after the round). Attempt `attempt` trains its trials longer. A
 * string says why the fault cannot be injected this time (no trial started, or it ended first).
 */
export async function victimSearch(
  ctx: ChaosContext,
  trials: number,
  attempt: number,
): Promise<VictimSearch | string> {
  const pair = await Promise.all([startTrainer(ctx.registry), startTrainer(ctx.registry)]);
  const dir = join(ctx.registry.tempDir('trainer'), 'run');
  const job = startSearch(ctx.registry, [
    ...['--strategy', 'random', '--seed', String(ctx.rng.int(1000)), '--run-dir', dir],
    ...['--trials', String(trials), '--trainers', pair.map((t) => t.address).join(',')],
    ...['--max-attempts', '3', ...longTrials(attempt)],
  ]);
  const firstStart = (): TimedEvent | undefined =>
    job.events.find((e) => e.event.type === 'trial-started');
  await waitFor(job, () => firstStart() !== undefined, START_MS);
  const started = firstStart();
  const victim = pair.find(
    (t) => started?.event.type === 'trial-started' && t.address === started.event.trainer,
  );
  const survivor = pair.find((t) => t !== victim);
  const stopAll = (): void =>
    [job.pid, ...pair.map((t) => t.pid)].forEach((pid) => ctx.registry.killGroup(pid));
  if (started === undefined || victim === undefined || survivor === undefined) {
    stopAll();
    return `no trial started (${job.stderr().trim().slice(-300)})`;
  }
  const intoTrialS = between(ctx.rng, 1, 4);
  await sleep(started.at + intoTrialS * 1000 - Date.now());
  const { trialId } = started.event;
  if (finishedIds(job.events).includes(trialId) || job.end() !== null) {
    stopAll();
    return `the trial ended within ${intoTrialS.toFixed(1)} s`;
  }
  const survivorPid = survivor.pid;
  return { victim, survivor: survivor.address, survivorPid, job, dir, trialId, intoTrialS };
}

/** The first event after `from` (ms since the epoch) that `match` accepts, waiting up to `ms`. */
export async function eventAfter(
  job: SearchJob,
  from: number,
  match: (e: TimedEvent) => boolean,
  ms: number,
): Promise<TimedEvent | undefined> {
  const find = (): TimedEvent | undefined => job.events.find((e) => e.at >= from && match(e));
  await waitFor(job, () => find() !== undefined, ms);
  return find();
}

/** The stored trial `trialId` of the run in `dir`. */
export function storedTrial(dir: string, trialId: number): TrialRecord | undefined {
  return storedTrials(dir).find((t) => t.id === trialId);
}

/** Seconds between two times in ms, to one decimal, as text. */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
