/**
 * One bad trial to a fresh trainer through a Train call with a short deadline: the 1000
 * cells per stack, or, when the trainer refuses that outright (INVALID_ARGUMENT), the deepest valid
 * network at a width it cannot train in time. Then a small trial. Holds when the small trial
 * succeeds (refusals as busy or unavailable are retried for {@link RECOVER_MS}) and the health
 * service answers SERVING afterwards. The row's seconds: from the bad trial's end to the small
 * trial's success.
 */
import type { ChaosContext, Fault, RoundOutcome } from '../fault.ts';
import { groupAlive, sleep } from '../processes.ts';
import { probeHealth, probeTrial, type TrialProbe } from '../trainer-probe.ts';
import { DEEPEST_VALID_TRIAL, HUGE_TRIAL, SMALL_TRIAL } from '../trial-requests.ts';
import { startTrainer } from '../trainer-process.ts';

/** The bad trial's deadline. */
const BAD_DEADLINE_MS = 3_000;
/** How long a trainer may refuse the small trial (busy, unavailable) after the bad one. */
const RECOVER_MS = 30_000;
const SMALL_DEADLINE_MS = 60_000;

/** The bad-trial fault. */
export const badTrial: Fault = { name: 'bad trial', run: oneRound };

async function oneRound(ctx: ChaosContext): Promise<RoundOutcome> {
  const trainer = await startTrainer(ctx.registry);
  const seen: string[] = [];
  let bad = await probeTrial(trainer.address, HUGE_TRIAL, BAD_DEADLINE_MS);
  seen.push(`cells=1000: ${describe(bad)}`);
  if (!bad.ok && bad.error.includes('INVALID_ARGUMENT')) {
    bad = await probeTrial(trainer.address, DEEPEST_VALID_TRIAL, BAD_DEADLINE_MS);
    seen.push(`20@480: ${describe(bad)}`);
  }
  const badEnded = Date.now();
  seen.push(`health right after: ${await probeHealth(trainer.address, 2_000)}`);
  const small = await smallTrialWithin(trainer.address, RECOVER_MS);
  const seconds = (Date.now() - badEnded) / 1000;
  const healthAfter = await probeHealth(trainer.address);
  const alive = groupAlive(trainer.pid);
  ctx.registry.killGroup(trainer.pid);
  const problems: string[] = [];
  if (!small.ok) problems.push(`small trial: ${small.error.slice(0, 160)}`);
  else if (small.result.status !== 'succeeded')
    problems.push(`small trial ${small.result.status}: ${small.result.reason.slice(0, 160)}`);
  if (healthAfter !== 'SERVING') problems.push(`health afterwards ${healthAfter}`);
  if (!alive) problems.push(`trainer died: ${trainer.logTail().trim().slice(-200)}`);
  const kind = problems.length === 0 ? 'held' : 'failed';
  return { kind, note: [...seen, ...problems].join('; '), seconds };
}

/** The small trial, tried again while the trainer refuses it as busy or unavailable, up to `ms`. */
async function smallTrialWithin(address: string, ms: number): Promise<TrialProbe> {
  const deadline = Date.now() + ms;
  for (;;) {
    const probe = await probeTrial(address, SMALL_TRIAL, SMALL_DEADLINE_MS);
    if (probe.ok || !probe.retryable || Date.now() > deadline) return probe;
    await sleep(1_000);
  }
}

function describe(probe: TrialProbe): string {
  const after = `after ${(probe.ms / 1000).toFixed(1)} s`;
  if (probe.ok) return `${probe.result.status} ${after}`;
  const status = /: ([A-Z_]+):/.exec(probe.error)?.[1] ?? probe.error.slice(0, 80);
  return `${status} ${after}`;
}
