/**
 * The controller believes no trainer: a result or epoch with one number that cannot be true (NaN,
 * ±Infinity, out of range, a wrong epoch number or count, a size other than the controller's own
 * count) always ends the trial as failed, naming the trainer and the field, and never gives a
 * reward. Fake trainer clients answer at once; the pool, the run store (a real SQLite file) and the
 * search are real.
 */
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, NEVER } from 'rxjs';
import { toArray } from 'rxjs/operators';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamedTrialEvent } from '../../proto/event-codec.ts';
import { genotypeHash } from '../../shared/canonical.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { TrialLifecycle } from '../../controller/search/trial-lifecycle.ts';
import { evaluateTrial, type TrialStreamEvent } from '../../controller/search/evaluate-trial.ts';
import { checkTrialResult } from '../../controller/search/result-check.ts';
import { runSearch } from '../../controller/search/run-search.ts';
import { TrainerPool } from '../../controller/search/trainer-pool.ts';
import { outcomeOf } from '../../controller/search/trial-end.ts';
import { createStrategy, defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { answeredArb, corruptedArb, smallRequest } from '../arbitraries/trial-result.ts';
import { answerOf, answeringTrainer, FAKE_TRAINER } from '../fixtures/answering-trainer.ts';
import { withHonestSize } from '../fixtures/honest-size.ts';
import { testConfig, trainerResult } from '../fixtures/run-store-fixtures.ts';

const TRAINER = FAKE_TRAINER;

const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function newStore(): RunStore {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-result-check-')), 'run');
  const store = createRunStore(dir, testConfig('random', 1));
  stores.push(store);
  return store;
}

let candidates = 0;

/** Evaluates `request` on a fresh one-trainer pool answering `events`; its events and trial id. */
async function evaluate(
  store: RunStore,
  request: TrialRequest,
  events: readonly StreamedTrialEvent[],
): Promise<{ events: TrialStreamEvent[]; trialId: number }> {
  const pool = new TrainerPool([{ client: answeringTrainer(() => events), capacity: 1 }], () => 0);
  const hash = genotypeHash(request.genotype);
  const candidateId = ++candidates;
  const trials = new TrialLifecycle(store);
  const trialId = trials.asked({ candidateId, genotype: request.genotype, hash, meta: null });
  const trial = { trialId, hash, request, attempts: 1 };
  const deps = { pool, trials, maxAttempts: 3, medianStop: null };
  return { events: await firstValueFrom(evaluateTrial(trial, deps).pipe(toArray())), trialId };
}

describe('a trainer result with one number that cannot be true', () => {
  it('always fails the trial naming the trainer and the field, and never gives a reward', async () => {
    const store = newStore();
    await fc.assert(
      fc.asyncProperty(corruptedArb, fc.boolean(), async (corrupted, stream) => {
        const { request, result, field, epochIndex } = corrupted;
        const check = checkTrialResult(result, request);
        expect(check).toMatchObject({ ok: false, field });
        const { events, trialId } = await evaluate(store, request, answerOf(result, stream));
        const last = events.at(-1);
        expect(last?.type).toBe('trial-ended');
        if (last?.type !== 'trial-ended') return;
        const what = stream && epochIndex !== null ? 'epoch' : 'result';
        expect(last.end).toMatchObject({ kind: 'failed' });
        expect(last.end.kind === 'failed' && last.end.reason).toMatch(
          new RegExp(`^trainer ${TRAINER} sent an invalid ${what}: ${escaped(field)} `),
        );
        expect(outcomeOf(last.end, 5)).toMatchObject({ status: 'failed', reward: null });
        // A bad epoch is never recorded; those before it are.
        const recorded = stream ? (epochIndex ?? result.epochs.length) : 0;
        expect(store.epochs(trialId)).toHaveLength(Math.min(recorded, result.epochs.length));
      }),
      { numRuns: 150 },
    );
  });

  it('passes a believable result with its reward, a fraction', async () => {
    const store = newStore();
    await fc.assert(
      fc.asyncProperty(answeredArb, fc.boolean(), async ({ request, result }, stream) => {
        expect(checkTrialResult(result, request)).toEqual({ ok: true });
        const { events } = await evaluate(store, request, answerOf(result, stream));
        const last = events.at(-1);
        expect(last).toMatchObject({ type: 'trial-ended', end: { kind: 'result', result } });
        if (last?.type !== 'trial-ended') return;
        const { status, reward } = outcomeOf(last.end, 5);
        expect(status).toBe('succeeded');
        expect(reward).toBeGreaterThanOrEqual(0);
        expect(reward).toBeLessThanOrEqual(1);
      }),
      { numRuns: 50 },
    );
  });
});

describe('a search whose trainer answers accuracy 5 or NaN', () => {
  it.each([
    [5, 'epochs[0].validationAccuracy = 5 is not in [0, 1]'],
    [NaN, 'epochs[0].validationAccuracy = NaN is not in [0, 1]'],
  ])('stores accuracy %s as a failed trial with the reason, never a reward', async (acc, why) => {
    const store = newStore();
    const client = answeringTrainer((request) => {
      return answerOf(withHonestSize(trainerResult([acc], 1), request), false);
    });
    const pool = new TrainerPool([{ client, capacity: 1 }]);
    await lastValueFrom(
      runSearch(
        {
          strategy: createStrategy(defaultStrategyConfig('random', 1), DEFAULT_SPACE),
          store,
          pool,
          request: smallRequest,
          maxTrials: 1,
          maxAttempts: 3,
          rewardEpochs: 5,
          reuseDuplicates: false,
          snapshotEvery: 1_000,
          medianStop: null,
        },
        NEVER,
      ),
    );
    const trial = store.trial(1);
    expect(trial).toMatchObject({ status: 'failed', reward: null });
    expect(trial.reason).toBe(`trainer ${TRAINER} sent an invalid result: ${why}`);
    expect(store.bestTrials(5)).toEqual([]);
  });
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
