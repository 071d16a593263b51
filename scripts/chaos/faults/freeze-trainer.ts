/**
 * SIGSTOP of a trainer (its whole process group) a few seconds into a trial, with a second trainer
 * in the pool. Measures the seconds until the controller notices (the trial's `trial-retry`);
 * holds when that is at most 5 s and the search completes with the trial on the other trainer.
 * The frozen trainer gets SIGCONT afterwards and is then stopped.
 */
import type { ChaosContext, Fault, RoundOutcome } from '../fault.ts';
import { endWithin, finishedIds } from '../search-job.ts';
import { eventAfter, secondsText, storedTrial, victimSearch } from './victim-search.ts';

/** The target for noticing a frozen trainer. */
export const FREEZE_TARGET_S = 5;
/** How long the campaign waits for the controller to notice at all. */
const NOTICE_MS = 45_000;
/** The search's end after the fault: one more trial on the survivor, or two. */
const END_MS = 120_000;

/** The frozen-trainer fault. */
export const freezeTrainer: Fault = { name: 'trainer SIGSTOP', run: oneRound };

async function oneRound(ctx: ChaosContext, _round: number, attempt: number): Promise<RoundOutcome> {
  const setup = await victimSearch(ctx, 2, attempt);
  if (typeof setup === 'string') return { kind: 'missed', note: setup };
  const { victim, survivor, job, dir, trialId } = setup;
  const frozenAt = Date.now();
  ctx.registry.signalGroup(victim.pid, 'SIGSTOP');
  const retry = await eventAfter(
    job,
    frozenAt,
    ({ event }) => event.type === 'trial-retry' && event.trialId === trialId,
    NOTICE_MS,
  );
  const problems: string[] = [];
  const seconds = retry === undefined ? undefined : (retry.at - frozenAt) / 1000;
  if (seconds === undefined) problems.push(`not noticed within ${secondsText(NOTICE_MS)}`);
  else if (seconds > FREEZE_TARGET_S) problems.push(`noticed after ${seconds.toFixed(1)} s`);
  // Whatever happened, the trainer must not stay frozen: a search waiting on it would never end.
  if (retry === undefined) ctx.registry.signalGroup(victim.pid, 'SIGCONT');
  const end = await endWithin(job, END_MS);
  ctx.registry.signalGroup(victim.pid, 'SIGCONT');
  if (end?.code !== 0) problems.push(`search ended with ${end?.code ?? end?.signal ?? 'nothing'}`);
  const finished = finishedIds(job.events).filter((id) => id === trialId).length;
  if (finished !== 1) problems.push(`trial reported finished ${finished} times`);
  const stored = storedTrial(dir, trialId);
  if (stored?.status !== 'succeeded' || stored.trainer !== survivor)
    problems.push(`stored ${stored?.status ?? 'nothing'} on ${stored?.trainer ?? 'no trainer'}`);
  ctx.registry.killGroup(job.pid);
  ctx.registry.killGroup(victim.pid);
  ctx.registry.killGroup(setup.survivorPid);
  const starts = job.events
    .filter(({ at, event }) => at >= frozenAt && event.type === 'trial-started')
    .map(({ event }) => ('trainer' in event && event.trainer === survivor ? 'survivor' : 'victim'));
  const at = `frozen ${setup.intoTrialS.toFixed(1)} s into the trial; then started on: ${starts.join(', ') || 'nothing'}`;
  const note = problems.length === 0 ? at : `${at}: ${problems.join('; ')}`;
  return {
    kind: problems.length === 0 ? 'held' : 'failed',
    note,
    ...(seconds === undefined ? {} : { seconds }),
  };
}
