/**
 * The chaos campaign's rounds: a round whose fault could not be injected ('missed') is tried again,
 * with the attempt number (so the fault can give itself more room), up to the bound; only an
 * injected round (held or failed) ends it early. Fake faults stand in for the real processes.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.ts';
import type { ChaosContext, Fault, RoundOutcome } from '../../scripts/chaos/fault.ts';
import { attemptBudget } from '../../scripts/chaos/fault.ts';
import { ProcessRegistry } from '../../scripts/chaos/processes.ts';
import { runRound } from '../../scripts/chaos/round-retry.ts';

function context(lines: string[] = []): ChaosContext {
  const trainer = { address: '127.0.0.1:1', pid: 0, logTail: () => '' };
  return {
    rng: createRng(1),
    registry: new ProcessRegistry(),
    shared: [trainer, trainer],
    budget: 4,
    log: (line) => lines.push(line),
  };
}

/** A fault answering its attempts from `outcomes` in turn (the last one again when they run out). */
function scripted(outcomes: readonly RoundOutcome[]): Fault & { readonly attempts: number[] } {
  const attempts: number[] = [];
  return {
    name: 'scripted',
    attempts,
    run: (_ctx, _round, attempt) => {
      attempts.push(attempt);
      const outcome = outcomes[Math.min(attempts.length - 1, outcomes.length - 1)];
      return outcome === undefined
        ? Promise.reject(new Error('no outcome'))
        : Promise.resolve(outcome);
    },
  };
}

const MISSED: RoundOutcome = { kind: 'missed', note: 'the search ended before the SIGINT' };
const HELD: RoundOutcome = { kind: 'held', note: 'fine' };
const place = { round: 0, rounds: 1, retries: 3 };

describe('runRound', () => {
  it('tries a missed round again, telling the fault its attempt, until the fault is injected', async () => {
    const fault = scripted([MISSED, MISSED, HELD]);
    const record = await runRound(fault, context(), place);
    expect(record.outcome).toEqual(HELD);
    expect(record.missed).toEqual([MISSED, MISSED]);
    expect(fault.attempts).toEqual([0, 1, 2]);
  });

  it('gives up after the retries: the round stays missed, every attempt counted', async () => {
    const fault = scripted([MISSED]);
    const record = await runRound(fault, context(), place);
    expect(record.outcome.kind).toBe('missed');
    expect(record.missed).toHaveLength(4);
    expect(fault.attempts).toEqual([0, 1, 2, 3]);
  });

  it('does not try again a round that was injected, held or failed', async () => {
    for (const outcome of [HELD, { kind: 'failed', note: 'lost a trial' } as const]) {
      const fault = scripted([outcome, HELD]);
      const record = await runRound(fault, context(), place);
      expect(record).toEqual({ outcome, missed: [] });
      expect(fault.attempts).toEqual([0]);
    }
  });

  it('counts a fault that throws as failed (never missed), and goes on', async () => {
    const fault = scripted([]);
    const record = await runRound(fault, context(), place);
    expect(record.outcome).toEqual({ kind: 'failed', note: 'threw: no outcome' });
    expect(fault.attempts).toEqual([0]);
  });

  it('logs one line per attempt, naming the retries', async () => {
    const lines: string[] = [];
    await runRound(scripted([MISSED, HELD]), context(lines), { round: 1, rounds: 3, retries: 3 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[2\/3\] scripted: missed \(\d+ s\) the search ended/);
    expect(lines[1]).toMatch(/^\[2\/3\] scripted \(attempt 2\): held/);
  });
});

describe('attemptBudget', () => {
  it('doubles the room with each missed attempt, bounded', () => {
    expect([0, 1, 2, 3].map((a) => attemptBudget(6, a))).toEqual([6, 12, 24, 48]);
    expect(attemptBudget(6, 50)).toBe(attemptBudget(6, 4));
  });
});
