/**
 * The set-up the trainer faults share: a fresh victim trainer and the first shared one (the
 * survivor), a search over both (victim first, so the pool hands it the first trial), and the
 * moment to strike: a random 1-4 s into the victim's first trial.
 */
import { join } from 'node:path';
import type { TrialRecord } from '../../../controller/store/index.ts';
import { between, type ChaosContext } from '../fault.ts';
import { sleep } from '../processes.ts';
import { storedTrials } from '../run-invariant.ts';
import { LONG_TRIALS } from '../search-flags.ts';
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
  readonly survivor: string;
  readonly job: SearchJob;
  readonly dir: string;
  readonly trialId: number;
  /** Seconds into the trial when the fault comes. */
  readonly intoTrialS: number;
}

/** Waiting for the victim's trial to start: trainers connect and the run opens in seconds. */
const START_MS = 60_000;

/**
 * Starts the victim and a search of `trials` trials, and waits for the strike moment; a string
 * says why the fault cannot be injected this round (the trial went elsewhere or ended first).
 */
export async function victimSearch(
  ctx: ChaosContext,
  trials: number,
): Promise<VictimSearch | string> {
  const victim = await startTrainer(ctx.registry);
  const survivor = ctx.shared[0].address;
  const dir = join(ctx.registry.tempDir('trainer'), 'run');
  const job = startSearch(ctx.registry, [
    ...['--strategy', 'random', '--seed', String(ctx.rng.int(1000)), '--run-dir', dir],
    ...['--trials', String(trials), '--trainers', `${victim.address},${survivor}`],
    ...['--max-attempts', '3', ...LONG_TRIALS],
  ]);
  const onVictim = (): TimedEvent | undefined =>
    job.events.find((e) => e.event.type === 'trial-started' && e.event.trainer === victim.address);
  await waitFor(job, () => onVictim() !== undefined, START_MS);
  const started = onVictim();
  if (started === undefined) return `no trial started on the victim (${job.stderr().trim()})`;
  const intoTrialS = between(ctx.rng, 1, 4);
  await sleep(started.at + intoTrialS * 1000 - Date.now());
  const { trialId } = started.event;
  if (finishedIds(job.events).includes(trialId) || job.end() !== null)
    return 'the trial ended before the fault';
  return { victim, survivor, job, dir, trialId, intoTrialS };
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
