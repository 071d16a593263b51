/**
 * A trainer whose results cannot be true, {@link SUSPECT_AFTER} times in a row, is suspect: the
 * pool leaves it out of the rotation for {@link SUSPECT_MS}, whatever its other calls do meanwhile;
 * a believable result in between starts the count again. Real pool, evaluation and run store; the
 * trainers are fakes answering at once, the clock is virtual.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { toArray } from 'rxjs/operators';
import { afterEach, describe, expect, it } from 'vitest';
import { genotypeHash } from '../../shared/canonical.ts';
import type { TrialResult } from '../../shared/trial.ts';
import { TrialLifecycle } from '../../controller/search/trial-lifecycle.ts';
import { evaluateTrial, type TrialStreamEvent } from '../../controller/search/evaluate-trial.ts';
import { SUSPECT_AFTER, SUSPECT_MS, TrainerPool } from '../../controller/search/trainer-pool.ts';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { smallRequest } from '../arbitraries/trial-result.ts';
import { answerOf, answeringTrainer } from '../fixtures/answering-trainer.ts';
import { withHonestSize } from '../fixtures/honest-size.ts';
import { candidate, testConfig, trainerResult } from '../fixtures/run-store-fixtures.ts';

const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A result with validation accuracy `accuracy` after one epoch (5: one that cannot be true). */
function resultWith(accuracy: number): TrialResult {
  return trainerResult([accuracy], 1);
}

/** A pool of the trainers `addresses`, each answering call after call with the next accuracy. */
function poolAnswering(accuracies: Record<string, number[]>, now: () => number): TrainerPool {
  const members = Object.entries(accuracies).map(([address, queue]) => ({
    client: answeringTrainer((request) => {
      const accuracy = queue.shift();
      if (accuracy === undefined) throw new Error(`${address} has no answer left`);
      return answerOf(withHonestSize(resultWith(accuracy), request));
    }, address),
    capacity: 1,
  }));
  return new TrainerPool(members, now);
}

let next = 0;

/** Runs one trial on `pool` to its end; the trainer it started on and how it ended. */
async function runOne(
  pool: TrainerPool,
  store: RunStore,
): Promise<{ trainer: string; kind: string }> {
  const queued = candidate(++next);
  const request = smallRequest(queued.genotype);
  const trials = new TrialLifecycle(store);
  const trialId = trials.asked(queued);
  const trial = { trialId, hash: genotypeHash(queued.genotype), request, attempts: 1 };
  const deps = { pool, trials, maxAttempts: 3, medianStop: null };
  const events: TrialStreamEvent[] = await firstValueFrom(
    evaluateTrial(trial, deps).pipe(toArray()),
  );
  const started = events.find((e) => e.type === 'trial-started');
  const ended = events.at(-1);
  return {
    trainer: started?.type === 'trial-started' ? started.trainer : 'none',
    kind: ended?.type === 'trial-ended' ? ended.end.kind : 'none',
  };
}

function newStore(): RunStore {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-suspect-')), 'run');
  const store = createRunStore(dir, testConfig('random', 1));
  stores.push(store);
  return store;
}

describe('a trainer that keeps sending results that cannot be true', () => {
  it(`is left out for ${SUSPECT_MS} ms after ${SUSPECT_AFTER} in a row`, async () => {
    let now = 1_000;
    const store = newStore();
    const pool = poolAnswering({ 'a:1': [5, 5, 5, 0.7], 'b:1': [0.6, 0.6] }, () => now);
    // The pool hands out the least loaded, then healthiest: `a:1` comes first while it is free.
    for (let i = 0; i < SUSPECT_AFTER; i++)
      expect(await runOne(pool, store)).toEqual({ trainer: 'a:1', kind: 'failed' });
    expect(pool.trainerStates().find((t) => t.address === 'a:1')?.down).toBe(true);
    // Out of the rotation: the next trials go to `b:1`, even once `a:1`'s transport looks healthy.
    expect(await runOne(pool, store)).toEqual({ trainer: 'b:1', kind: 'result' });
    now += SUSPECT_MS - 1;
    expect(await runOne(pool, store)).toEqual({ trainer: 'b:1', kind: 'result' });
    // Its time out over, it takes trials again.
    now += 1;
    expect(await runOne(pool, store)).toEqual({ trainer: 'a:1', kind: 'result' });
  });

  it('is not suspect when a believable result breaks the run of invalid ones', async () => {
    const store = newStore();
    const pool = poolAnswering({ 'a:1': [5, NaN, 0.7, 5, 5, 0.8] }, () => 0);
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++) kinds.push((await runOne(pool, store)).kind);
    expect(kinds).toEqual(['failed', 'failed', 'result', 'failed', 'failed', 'result']);
    expect(pool.msUntilAvailable()).toBe(0);
  });

  it('stays suspect when a call of another trial on it succeeds meanwhile', () => {
    const pool = poolAnswering({ 'a:1': [] }, () => 0);
    const trainer = pool.acquire();
    if (trainer === null) throw new Error('the trainer is free');
    for (let i = 0; i < SUSPECT_AFTER; i++) pool.markResult(trainer, false);
    pool.markHealthy(trainer);
    pool.markDown(trainer);
    pool.release(trainer);
    expect(pool.msUntilAvailable()).toBe(SUSPECT_MS);
    expect(pool.acquire()).toBeNull();
  });
});
