/**
 * GetInfo while a trial trains on the trainer: a controller asks it to learn capacity and load,
 * and a trainer that answers late looks dead. Holds when every GetInfo during training answers
 * within {@link INFO_TARGET_MS}; the row's seconds are the slowest answer.
 */
import type { TrialRequest } from '../../../shared/trial.ts';
import { attemptBudget, type ChaosContext, type Fault, type RoundOutcome } from '../fault.ts';
import { sleep } from '../processes.ts';
import { probeInfo, probeTrial, type InfoProbe } from '../trainer-probe.ts';
import { LONGER_TRIAL } from '../trial-requests.ts';

/** The issue's target for GetInfo during training. */
export const INFO_TARGET_MS = 1_000;
/** Probes at most this many times, one every {@link PROBE_EVERY_MS}. */
const SAMPLES = 20;
const PROBE_EVERY_MS = 300;
/** How often it asks whether the trial runs yet, before sampling. */
const WAIT_EVERY_MS = 100;

/** The GetInfo-latency check (on the second shared trainer). */
export const infoLatency: Fault = { name: 'GetInfo while training', run: oneRound };

async function oneRound(ctx: ChaosContext, _round: number, attempt: number): Promise<RoundOutcome> {
  const address = ctx.shared[1].address;
  let training = true;
  const request = longerTrial(attempt);
  const trial = probeTrial(address, request, 120_000).finally(() => (training = false));
  const samples: InfoProbe[] = [];
  // Timed against the trainer's own report: sampling starts once it says the trial runs.
  while (training && samples.length < SAMPLES) {
    const probe = await probeInfo(address, 5_000);
    if (samples.length > 0 || !probe.ok || probe.info.running > 0) samples.push(probe);
    await sleep(samples.length === 0 ? WAIT_EVERY_MS : PROBE_EVERY_MS);
  }
  const result = await trial;
  const during = samples.filter((s) => !s.ok || s.info.running > 0);
  if (during.length === 0)
    return {
      kind: 'missed',
      note: `the trial ended before a probe saw it (${describe(result.ok)})`,
    };
  const slowest = Math.max(...during.map((s) => s.ms));
  const errors = during.filter((s) => !s.ok).length;
  const sorted = during.map((s) => s.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const note = `${during.length} probes, median ${median.toFixed(0)} ms, max ${slowest.toFixed(0)} ms${errors > 0 ? `, ${errors} failed` : ''}`;
  const held = errors === 0 && slowest < INFO_TARGET_MS;
  return { kind: held ? 'held' : 'failed', note, seconds: slowest / 1000 };
}

/** {@link LONGER_TRIAL}, with twice the steps for each missed attempt before. */
function longerTrial(attempt: number): TrialRequest {
  const stepsPerEpoch = attemptBudget(LONGER_TRIAL.training.stepsPerEpoch, attempt);
  return { ...LONGER_TRIAL, training: { ...LONGER_TRIAL.training, stepsPerEpoch } };
}

function describe(ok: boolean): string {
  return ok ? 'it succeeded' : 'it failed';
}
