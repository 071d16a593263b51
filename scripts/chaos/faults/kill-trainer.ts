/**
 * kill -9 of a trainer a few seconds into a one-trial search, with a second, idle trainer in the
 * pool. Holds when the trial's next attempt goes to the live trainer (not the dead address) within
 * a few seconds, the trial is counted once, and the store's `attempts` equals the events' last
 * `attempt`.
 */
import type { ChaosContext, Fault, RoundOutcome } from '../fault.ts';
import { groupAlive } from '../processes.ts';
import { endWithin, finishedIds, type SearchJob } from '../search-job.ts';
import { eventAfter, secondsText, storedTrial, victimSearch } from './victim-search.ts';

/** "Within a few seconds": the retry reaches the live trainer this soon after the kill. */
export const REDISPATCH_TARGET_S = 5;
/** How long the campaign waits for the re-dispatch at all. */
const REDISPATCH_MS = 45_000;
const END_MS = 120_000;

/** The killed-trainer fault. */
export const killTrainer: Fault = { name: 'trainer kill -9', run: oneRound };

async function oneRound(ctx: ChaosContext, _round: number, attempt: number): Promise<RoundOutcome> {
  const setup = await victimSearch(ctx, 1, attempt);
  if (typeof setup === 'string') return { kind: 'missed', note: setup };
  const { victim, survivor, job, dir, trialId } = setup;
  const killedAt = Date.now();
  process.kill(victim.pid, 'SIGKILL'); // the trainer process itself, as a crash would
  const isOnSurvivor = ({ event }: { event: { type: string; trainer?: string } }): boolean =>
    event.type === 'trial-started' && event.trainer === survivor;
  const onSurvivor = await eventAfter(job, killedAt, isOnSurvivor, REDISPATCH_MS);
  const problems: string[] = [];
  const seconds = onSurvivor === undefined ? undefined : (onSurvivor.at - killedAt) / 1000;
  if (seconds === undefined)
    problems.push(`not on ${survivor} within ${secondsText(REDISPATCH_MS)}`);
  else if (seconds > REDISPATCH_TARGET_S)
    problems.push(`on ${survivor} after ${seconds.toFixed(1)} s`);
  const toDead = retriesTo(job, killedAt, trialId, victim.address);
  if (toDead > 0) problems.push(`${toDead} attempt(s) went to the dead address`);
  const end = await endWithin(job, END_MS);
  if (end?.code !== 0) problems.push(`search ended with ${end?.code ?? end?.signal ?? 'nothing'}`);
  const finished = finishedIds(job.events).filter((id) => id === trialId).length;
  if (finished !== 1) problems.push(`trial reported finished ${finished} times`);
  const stored = storedTrial(dir, trialId);
  const lastAttempt = attempts(job, trialId).at(-1) ?? 0;
  if (stored?.attempts !== lastAttempt)
    problems.push(`store attempts ${stored?.attempts ?? '-'}, events' attempt ${lastAttempt}`);
  if (stored?.status !== 'succeeded') problems.push(`stored ${stored?.status ?? 'nothing'}`);
  // Not part of the invariant, but worth a note: the dead trainer's own children outliving it.
  const orphans = groupAlive(victim.pid) ? '; processes of the killed trainer are left' : '';
  ctx.registry.killGroup(job.pid);
  ctx.registry.killGroup(victim.pid);
  ctx.registry.killGroup(setup.survivorPid);
  const at = `killed ${setup.intoTrialS.toFixed(1)} s into the trial${orphans}`;
  const note = problems.length === 0 ? at : `${at}: ${problems.join('; ')}`;
  return {
    kind: problems.length === 0 ? 'held' : 'failed',
    note,
    ...(seconds === undefined ? {} : { seconds }),
  };
}

/** The `attempt` numbers of the trial's starts, in order. */
function attempts(job: SearchJob, trialId: number): number[] {
  return job.events.flatMap(({ event }) =>
    event.type === 'trial-started' && event.trialId === trialId ? [event.attempt] : [],
  );
}

/** Starts of the trial on `address` after `from`. */
function retriesTo(job: SearchJob, from: number, trialId: number, address: string): number {
  return job.events.filter(
    ({ at, event }) =>
      at >= from &&
      event.type === 'trial-started' &&
      event.trialId === trialId &&
      event.trainer === address,
  ).length;
}
