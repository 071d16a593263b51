/**
 * The search pipeline in virtual time (rxjs TestScheduler): fake trainer clients answer with cold
 * observables, everything else is real (strategy, SQLite run store, pool, retries). Covers the pool's
 * concurrency cap, the spacing of retries and backoffs, and cancellation by a stop or by the
 * median stopping rule.
 */
import { status } from '@grpc/grpc-js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER, type Observable } from 'rxjs';
import { map, tap } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamedTrialEvent } from '../../proto/event-codec.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import type { MedianStopSettings } from '../../controller/search/median-stopping.ts';
import { runSearch, type SearchDriver } from '../../controller/search/run-search.ts';
import type { SearchEvent } from '../../controller/search/search-events.ts';
import { TrainerPool } from '../../controller/search/trainer-pool.ts';
import { parseSearchSnapshot } from '../../controller/strategies/snapshot-parse.ts';
import { createStrategy, defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { TrainerCallError, type TrainerClient } from '../../controller/trainer-client/index.ts';
import { STARTED } from '../fixtures/answering-trainer.ts';
import { honestEvent } from '../fixtures/honest-size.ts';
import { epochMetrics, testConfig, trainerResult } from '../fixtures/run-store-fixtures.ts';

const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A trainer's answer to one call, given the call's number (0, 1, ...) across all trainers. */
type Answer = (address: string, call: number) => Observable<StreamedTrialEvent>;

interface Harness {
  readonly driver: SearchDriver;
  readonly store: RunStore;
}

function harness(
  scheduler: TestScheduler,
  options: {
    trainers: number;
    trials: number;
    answer: Answer;
    medianStop?: MedianStopSettings;
    maxAttempts?: number;
    maxMemoryBytes?: number;
  },
): Harness {
  const store = createRunStore(
    join(mkdtempSync(join(tmpdir(), 'cellsearch-marbles-')), 'run'),
    testConfig('random', 1),
  );
  stores.push(store);
  let calls = 0;
  const clients: TrainerClient[] = Array.from({ length: options.trainers }, (_, i) => {
    const address = `10.0.0.${i + 1}:50051`;
    return {
      address,
      info: () => Promise.reject(new Error('not used')),
      checkDataset: () => Promise.reject(new Error('not used')),
      close: () => undefined,
      // Results carry the network's real sizes: result-check.ts fails any other.
      trial: (request) =>
        options.answer(address, calls++).pipe(map((event) => honestEvent(event, request))),
    };
  });
  const pool = new TrainerPool(
    clients.map((client) => ({
      client,
      capacity: 1,
      maxMemoryBytes: options.maxMemoryBytes ?? null,
    })),
    () => scheduler.now(),
  );
  const driver: SearchDriver = {
    strategy: createStrategy(defaultStrategyConfig('random', 1), DEFAULT_SPACE),
    store,
    pool,
    request: (genotype) => ({
      genotype,
      network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
      training: DEFAULT_TRAINING,
      dataset: parseDatasetSpec('synthetic'),
    }),
    maxTrials: options.trials,
    maxAttempts: options.maxAttempts ?? 3,
    rewardEpochs: 5,
    reuseDuplicates: false,
    snapshotEvery: 1_000,
    medianStop: options.medianStop ?? null,
  };
  return { driver, store };
}

function result(...accuracies: number[]): StreamedTrialEvent {
  return { type: 'result', result: trainerResult(accuracies) };
}

/** One letter per event: q(ueued) s(tarted) e(poch) r(etry) f(inished) x (finished, not succeeded). */
function letters(events: Observable<SearchEvent>): Observable<string> {
  return events.pipe(
    map((e) => {
      if (e.type === 'trial-finished') return e.status === 'succeeded' ? 'f' : 'x';
      return { 'trial-queued': 'q', 'trial-started': 's', 'trial-epoch': 'e', 'trial-retry': 'r' }[
        e.type
      ];
    }),
  );
}

const unavailable = (address: string): TrainerCallError =>
  new TrainerCallError(address, status.UNAVAILABLE, 'connection reset', true);

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('the search pipeline in virtual time', () => {
  it('keeps exactly as many trials in flight as the pool has slots, refilling each slot at once', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const calls: ReturnType<typeof cold<StreamedTrialEvent>>[] = [];
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 5,
        answer: () => {
          const call = cold<StreamedTrialEvent>('9ms r|', { r: result(0.5) });
          calls.push(call);
          return call;
        },
      });
      // Two slots: trials 1-2 at 0 ms, 3-4 when those finish at 9 ms, 5 at 18 ms; done at 27 ms.
      // (A group of n events spans n + 2 frames of the diagram.)
      expectObservable(letters(runSearch(driver, NEVER))).toBe(
        '(qsqs) 3ms (fqsfqs) 1ms (fqsf) 3ms (f|)',
      );
      scheduler.flush();
      expect(calls).toHaveLength(5);
      const subscriptions = calls.map((c) => c.subscriptions);
      // Each call is subscribed until its result is in, never more than two at once.
      expectSubscriptions(subscriptions[0] ?? []).toBe('^ 8ms !');
      expectSubscriptions(subscriptions[1] ?? []).toBe('^ 8ms !');
      expectSubscriptions(subscriptions[2] ?? []).toBe('9ms ^ 8ms !');
      expectSubscriptions(subscriptions[3] ?? []).toBe('9ms ^ 8ms !');
      expectSubscriptions(subscriptions[4] ?? []).toBe('18ms ^ 8ms !');
      expect(store.counts()).toMatchObject({ succeeded: 5, running: 0, queued: 0 });
    });
  });

  it("re-dispatches at once to a free trainer, waits out the failed trainers' backoffs, then gives up", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 1,
        // Each trainer takes the trial, then its connection drops 5 ms later, every time.
        answer: (address) => cold('a 4ms #', { a: STARTED }, unavailable(address)),
      });
      // Each failure that leaves attempts is announced as a retry. Attempt 2 goes to the other
      // trainer at once (its slot is free); after the second failure both trainers are backing
      // off, the first until 1005 ms. The third failure ends the trial.
      expectObservable(letters(runSearch(driver, NEVER))).toBe(
        '(qs) 1ms (rs) 1ms r 994ms s 4ms (x|)',
      );
      scheduler.flush();
      const trial = store.trial(1);
      expect(trial).toMatchObject({ status: 'failed', attempts: 3 });
      expect(trial.reason).toContain('connection reset');
    });
  });

  it('sends a trial to another trainer when one is unreachable, without counting an attempt', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 1,
        answer: (address) =>
          address.startsWith('10.0.0.1:')
            ? cold('#', undefined, unavailable(address))
            : cold('9ms r|', { r: result(0.5) }),
      });
      const events: SearchEvent[] = [];
      const search = runSearch(driver, NEVER).pipe(tap((e) => events.push(e)));
      expectObservable(letters(search)).toBe('(qsrs) 3ms (f|)');
      scheduler.flush();
      expect(store.trial(1)).toMatchObject({ status: 'succeeded', attempts: 1 });
      // The events count attempts as the store does: only trainers that took the trial.
      const attempts = events.flatMap((e) => (e.type === 'trial-started' ? [e.attempt] : []));
      expect(attempts).toEqual([1, 1]);
    });
  });

  it('reports each re-dispatch after a transient failure with the trainer and the reason', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold }) => {
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 1,
        // The first trainer takes the trial and drops the connection; the second finishes it.
        answer: (address) =>
          address.startsWith('10.0.0.1:')
            ? cold('a 4ms #', { a: STARTED }, unavailable(address))
            : cold('9ms r|', { r: result(0.5) }),
      });
      const events: SearchEvent[] = [];
      runSearch(driver, NEVER).subscribe((e) => events.push(e));
      scheduler.flush();
      expect(events.map((e) => e.type)).toEqual([
        'trial-queued',
        'trial-started',
        'trial-retry',
        'trial-started',
        'trial-finished',
      ]);
      expect(events[2]).toEqual({
        type: 'trial-retry',
        trialId: 1,
        trainer: '10.0.0.1:50051',
        reason: 'trainer 10.0.0.1:50051: UNAVAILABLE: connection reset',
      });
      expect(events[3]).toMatchObject({ trainer: '10.0.0.2:50051', attempt: 2 });
      expect(store.trial(1)).toMatchObject({ status: 'succeeded', attempts: 2 });
    });
  });

  it('re-dispatches a trial to the live trainer as soon as it frees, before any new trial', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold }) => {
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 3,
        // Trainer 1 takes trial 1 and dies 5 ms later; from then on it refuses every connection.
        // Trainer 2 needs 100 ms per trial.
        answer: (address, call) =>
          address.startsWith('10.0.0.1:')
            ? call === 0
              ? cold('a 4ms #', { a: STARTED }, unavailable(address))
              : cold('#', undefined, unavailable(address))
            : cold('99ms r|', { r: result(0.5) }),
      });
      const events: SearchEvent[] = [];
      runSearch(driver, NEVER).subscribe((e) => events.push(e));
      scheduler.flush();
      const starts = events.flatMap((e) =>
        e.type === 'trial-started' ? [`${e.trialId}@${e.trainer.slice(7, 8)}#${e.attempt}`] : [],
      );
      // Trial 1 goes to trainer 2 when trial 2 frees it at 100 ms, ahead of trial 3, as attempt 2.
      expect(starts.filter((s) => !s.endsWith('@1#2'))).toEqual([
        '1@1#1',
        '2@2#1',
        '1@2#2',
        '3@2#1',
      ]);
      expect(store.trial(1)).toMatchObject({ status: 'succeeded', attempts: 2 });
    });
  });

  it('fails a trial that fits no trainer at once, naming its estimate and the limit, without a call', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      let calls = 0;
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 2,
        maxMemoryBytes: 1024 * 1024,
        answer: () => {
          calls++;
          return cold('9ms r|', { r: result(0.5) });
        },
      });
      expectObservable(letters(runSearch(driver, NEVER))).toBe('(qxqx|)');
      scheduler.flush();
      expect(calls).toBe(0);
      const trial = store.trial(1);
      expect(trial).toMatchObject({ status: 'failed', attempts: 1 });
      expect(trial.reason).toMatch(/the trial needs about .* more than .*--max-memory.* of 1 MiB/);
    });
  });

  it('cancels the calls in flight on a stop, queues their trials again and saves the strategy', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const calls: ReturnType<typeof cold<StreamedTrialEvent>>[] = [];
      const { driver, store } = harness(scheduler, {
        trainers: 2,
        trials: 10,
        answer: () => {
          const call = cold<StreamedTrialEvent>('20ms r|', { r: result(0.5) });
          calls.push(call);
          return call;
        },
      });
      const stop$ = cold('7ms x');
      expectObservable(letters(runSearch(driver, stop$))).toBe('(qsqs) 1ms |');
      scheduler.flush();
      expect(calls).toHaveLength(2);
      for (const call of calls) expectSubscriptions(call.subscriptions).toBe('^ 6ms !');
      expect(store.counts()).toMatchObject({ queued: 2, running: 0, succeeded: 0 });
      expect(store.trials().map((t) => t.attempts)).toEqual([1, 1]);
      const saved = parseSearchSnapshot(store.latestSnapshot()?.snapshot, DEFAULT_SPACE, 'random');
      expect(saved.strategy.pending).toHaveLength(2);
      expect(saved.journalSeq).toBe(store.journal.position());
    });
  });

  it('cancels a trial below the median at an epoch and tells the strategy its reward so far', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const epoch = (n: number, a: number): StreamedTrialEvent => ({
        type: 'epoch',
        metrics: epochMetrics(n, a),
      });
      const good = () =>
        cold<StreamedTrialEvent>('a 9ms b 9ms r|', {
          a: epoch(1, 0.5),
          b: epoch(2, 0.6),
          r: result(0.5, 0.6),
        });
      const poor = cold<StreamedTrialEvent>('a 9ms b 9ms r|', {
        a: epoch(1, 0.2),
        b: epoch(2, 0.3),
        r: result(0.2, 0.3),
      });
      const { driver, store } = harness(scheduler, {
        trainers: 1,
        trials: 4,
        medianStop: { minTrials: 2 },
        answer: (_address, call) => (call === 2 ? poor : good()),
      });
      // Trials 1 and 2 complete (references); trial 3 is stopped after its first epoch at 40 ms,
      // and trial 4 starts in the same instant.
      expectObservable(letters(runSearch(driver, NEVER))).toBe(
        '(qse) 5ms e 9ms (fqse) 4ms e 9ms (fqsexqse)e 9ms (f|)',
      );
      scheduler.flush();
      expectSubscriptions(poor.subscriptions).toBe('40ms (^!)');
      const stopped = store.trial(3);
      expect(stopped).toMatchObject({ status: 'cancelled', reward: 0.2 });
      expect(stopped.reason).toMatch(/^stopped early at epoch 1: .* below the median 50\.0%/);
      const told = store.journal.entriesAfter(0).filter((e) => e.kind === 'tell');
      expect(told.map((e) => (e.kind === 'tell' ? e.reward : null))).toEqual([0.6, 0.6, 0.2, 0.6]);
    });
  });
});
