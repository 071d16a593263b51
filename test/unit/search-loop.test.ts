/**
 * The search loop as a plain state machine: calls in, commands out, no Rx. A real random strategy
 * and a real SQLite run store; the edge (dispatching to trainers) is played by the test, and time by
 * a fake clock.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genotypeHash } from '../../shared/canonical.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import { MedianStopping } from '../../controller/search/median-stopping.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import type { SearchEvent } from '../../controller/search/search-events.ts';
import {
  SNAPSHOT_MIN_INTERVAL_MS,
  SearchLoop,
  type LoopCommand,
  type SearchLoopDeps,
} from '../../controller/search/search-loop.ts';
import type { TrialEnd } from '../../controller/search/trial-end.ts';
import { parseSearchSnapshot } from '../../controller/strategies/snapshot-parse.ts';
import {
  createStrategy,
  defaultStrategyConfig,
  type Strategy,
} from '../../controller/strategies/strategy.ts';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { epochMetrics, fabricatedResult, testConfig } from '../fixtures/run-store-fixtures.ts';

const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const RANDOM = defaultStrategyConfig('random', 1);

interface Setup {
  readonly loop: SearchLoop;
  readonly store: RunStore;
  readonly strategy: Strategy;
  readonly clock: { ms: number };
}

function newStore(): RunStore {
  const store = createRunStore(
    join(mkdtempSync(join(tmpdir(), 'cellsearch-loop-')), 'run'),
    testConfig('random', 1),
  );
  stores.push(store);
  return store;
}

function setup(
  options: Partial<SearchLoopDeps> & { store?: RunStore; strategy?: Strategy } = {},
): Setup {
  const store = options.store ?? newStore();
  const strategy = options.strategy ?? createStrategy(RANDOM, DEFAULT_SPACE);
  const clock = { ms: 0 };
  const loop = new SearchLoop({
    strategy,
    store,
    request: (genotype) => ({
      genotype,
      network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
      training: DEFAULT_TRAINING,
      dataset: parseDatasetSpec('synthetic'),
    }),
    maxTrials: 10,
    slots: 2,
    rewardEpochs: 5,
    reuseDuplicates: false,
    snapshotEvery: 1_000,
    medianStop: null,
    now: () => clock.ms,
    ...options,
  });
  return { loop, store, strategy, clock };
}

const dispatched = (commands: readonly LoopCommand[]): number[] =>
  commands.flatMap((c) => (c.kind === 'dispatch' ? [c.trial.trialId] : []));
const events = (commands: readonly LoopCommand[]): SearchEvent[] =>
  commands.flatMap((c) => (c.kind === 'report' ? [c.event] : []));
/** One word per command: queued:1, dispatch:1, finished:1, complete. */
const script = (commands: readonly LoopCommand[]): string[] =>
  commands.map((c) =>
    c.kind === 'complete'
      ? 'complete'
      : c.kind === 'dispatch'
        ? `dispatch:${c.trial.trialId}`
        : `${c.event.type.replace('trial-', '')}:${c.event.trialId}`,
  );
const succeeded = (accuracy = 0.6): TrialEnd => ({
  kind: 'result',
  result: fabricatedResult(accuracy),
});
const tells = (store: RunStore): (number | null)[] =>
  store.journal.entriesAfter(0).flatMap((e) => (e.kind === 'tell' ? [e.reward] : []));

describe('the search loop', () => {
  it('keeps at most `slots` trials in flight and queues no more than maxTrials', () => {
    const { loop, store } = setup({ slots: 2, maxTrials: 3 });
    expect(script(loop.start())).toEqual(['queued:1', 'dispatch:1', 'queued:2', 'dispatch:2']);
    expect(script(loop.trialEnded(1, succeeded()))).toEqual([
      'finished:1',
      'queued:3',
      'dispatch:3',
    ]);
    expect(script(loop.trialEnded(2, succeeded()))).toEqual(['finished:2']);
    expect(loop.inFlightTrials()).toEqual([3]);
    expect(script(loop.trialEnded(3, succeeded()))).toEqual(['finished:3', 'complete']);
    // A late or repeated end changes nothing.
    expect(loop.trialEnded(3, succeeded())).toEqual([]);
    expect(store.counts()).toMatchObject({ succeeded: 3, queued: 0, running: 0 });
    expect(store.journal.entriesAfter(0).filter((e) => e.kind === 'ask')).toHaveLength(3);
    expect(store.latestSnapshot()?.finishedTrials).toBe(3);
  });

  it('follows the pool as trainers join and leave: more slots fill at once, none is not the end', () => {
    const { loop } = setup({ slots: 1, maxTrials: 4 });
    expect(script(loop.start())).toEqual(['queued:1', 'dispatch:1']);
    // A trainer joined: its slot is filled at once.
    expect(script(loop.resize(2))).toEqual(['queued:2', 'dispatch:2']);
    // Every trainer left: the trials in flight end, and the search waits instead of completing.
    expect(loop.resize(0)).toEqual([]);
    expect(script(loop.trialEnded(1, succeeded()))).toEqual(['finished:1']);
    expect(script(loop.trialEnded(2, succeeded()))).toEqual(['finished:2']);
    expect(loop.inFlightTrials()).toEqual([]);
    // One came back: the search goes on to its budget.
    expect(script(loop.resize(1))).toEqual(['queued:3', 'dispatch:3']);
    expect(script(loop.trialEnded(3, succeeded()))).toEqual([
      'finished:3',
      'queued:4',
      'dispatch:4',
    ]);
    expect(script(loop.trialEnded(4, succeeded()))).toEqual(['finished:4', 'complete']);
  });

  it('on a stop, queues the trials in flight again and saves them pending in the snapshot', () => {
    const { loop, store } = setup({ slots: 2, maxTrials: 10 });
    for (const id of dispatched(loop.start())) store.trialStarted(id, '10.0.0.1:50051');
    const refill = loop.trialEnded(1, succeeded());
    for (const id of dispatched(refill)) store.trialStarted(id, '10.0.0.1:50051');
    expect(dispatched(refill)).toEqual([3]);
    expect(loop.stop()).toEqual([{ kind: 'complete' }]);
    expect(store.counts()).toMatchObject({ succeeded: 1, queued: 2, running: 0 });
    expect(store.trials({ status: ['queued'] }).map((t) => [t.id, t.attempts])).toEqual([
      [2, 1],
      [3, 1],
    ]);
    const saved = parseSearchSnapshot(store.latestSnapshot()?.snapshot, DEFAULT_SPACE, 'random');
    expect(saved.strategy.pending.map((c) => c.id)).toEqual([2, 3]);
    expect(saved.journalSeq).toBe(store.journal.position());
    // After the stop, nothing is recorded or dispatched.
    expect(loop.trialEnded(2, succeeded())).toEqual([]);
    expect(loop.stop()).toEqual([]);
    expect(store.trial(2).status).toBe('queued');
  });

  it('snapshots after snapshotEvery finished trials, but not more often than the minimum interval', () => {
    const { loop, store, clock } = setup({ slots: 1, maxTrials: 10, snapshotEvery: 2 });
    loop.start();
    loop.trialEnded(1, succeeded());
    loop.trialEnded(2, succeeded());
    expect(store.latestSnapshot()).toBeNull();
    clock.ms = SNAPSHOT_MIN_INTERVAL_MS;
    loop.trialEnded(3, succeeded());
    expect(store.latestSnapshot()?.finishedTrials).toBe(3);
    clock.ms += 10 * SNAPSHOT_MIN_INTERVAL_MS;
    loop.trialEnded(4, succeeded());
    expect(store.latestSnapshot()?.finishedTrials).toBe(3);
    loop.trialEnded(5, succeeded());
    expect(store.latestSnapshot()?.finishedTrials).toBe(5);
  });

  it('records a reused duplicate through the same path as a trained trial', () => {
    const store = newStore();
    // An earlier trial (of another run's candidate) trained the genotype the strategy asks first.
    const first = createStrategy(RANDOM, DEFAULT_SPACE).ask().genotype;
    const hash = genotypeHash(first);
    const earlier = store.trialQueued({ candidateId: 100, genotype: first, hash, meta: null });
    store.trialFinished(earlier, {
      status: 'succeeded',
      reward: 0.7,
      reason: '',
      result: fabricatedResult(0.7),
    });
    const { loop, clock } = setup({ store, slots: 1, maxTrials: 3, reuseDuplicates: true });
    clock.ms = SNAPSHOT_MIN_INTERVAL_MS;
    const commands = loop.start();
    expect(script(commands)).toEqual(['queued:2', 'finished:2', 'queued:3', 'dispatch:3']);
    expect(events(commands)[1]).toEqual({
      type: 'trial-finished',
      trialId: 2,
      hash,
      status: 'succeeded',
      reward: 0.7,
      reason: `same network as trial ${earlier}`,
      result: null,
      reused: true,
    });
    expect(store.trial(2)).toMatchObject({ status: 'succeeded', reward: 0.7, finishOrder: 2 });
    expect(tells(store)).toEqual([0.7]);
    expect(loop.inFlightTrials()).toEqual([3]);
  });

  it('records a trainer result, an early stop and a failure alike: stored, told, ended in the median rule', () => {
    const medianStop = new MedianStopping({ minTrials: 1 });
    const { loop, store } = setup({ slots: 3, maxTrials: 3, rewardEpochs: 1, medianStop });
    loop.start();
    loop.trialEnded(1, succeeded(0.6));
    const stopped = loop.trialEnded(2, {
      kind: 'stopped-early',
      reward: 0.2,
      reason: 'stopped early at epoch 1',
    });
    const failed = loop.trialEnded(3, { kind: 'failed', reason: 'the trainer ran out of memory' });
    expect(events(stopped)[0]).toMatchObject({ status: 'cancelled', reward: 0.2, reused: false });
    expect(events(failed)[0]).toMatchObject({ status: 'failed', reward: null });
    expect(failed.at(-1)).toEqual({ kind: 'complete' });
    expect(store.trials().map((t) => [t.status, t.reward])).toEqual([
      ['succeeded', 0.6],
      ['cancelled', 0.2],
      ['failed', null],
    ]);
    expect(tells(store)).toEqual([0.6, 0.2, null]);
    // Only trial 1, which ran to the end, became a reference of the median rule.
    const verdict = medianStop.afterEpoch(9, epochMetrics(1, 0.3));
    expect(verdict).toMatchObject({ stop: true, reward: 0.3 });
    expect(verdict.stop && verdict.reason).toMatch(/median 60\.0% of 1 completed trials/);
  });

  it('after a crash, re-runs the pending candidates first, one per free slot, before asking', () => {
    const store = newStore();
    const crashed = setup({ store, slots: 3, maxTrials: 5 });
    for (const id of dispatched(crashed.loop.start())) store.trialStarted(id, '10.0.0.1:50051');
    crashed.loop.trialEnded(2, succeeded());
    store.trialStarted(4, '10.0.0.1:50051');
    // The process dies here: trials 1, 3 and 4 are left running.
    const strategy = restoreStrategy(RANDOM, DEFAULT_SPACE, store);
    expect(strategy.pending().map((c) => c.id)).toEqual([1, 3, 4]);
    const { loop } = setup({ store, strategy, slots: 2, maxTrials: 5 });
    expect(script(loop.start())).toEqual(['dispatch:1', 'dispatch:3']);
    expect(store.counts()).toMatchObject({ running: 0, queued: 3 });
    expect(script(loop.trialEnded(1, succeeded()))).toEqual(['finished:1', 'dispatch:4']);
    expect(script(loop.trialEnded(3, succeeded()))).toEqual([
      'finished:3',
      'queued:5',
      'dispatch:5',
    ]);
    loop.trialEnded(4, succeeded());
    expect(script(loop.trialEnded(5, succeeded()))).toEqual(['finished:5', 'complete']);
    expect(store.trials().map((t) => t.attempts)).toEqual([1, 1, 1, 1, 1]);
  });

  it('completes at once when the run already holds maxTrials finished trials', () => {
    const first = setup({ slots: 2, maxTrials: 2 });
    first.loop.start();
    first.loop.trialEnded(1, succeeded());
    first.loop.trialEnded(2, succeeded());
    const strategy = restoreStrategy(RANDOM, DEFAULT_SPACE, first.store);
    const { loop } = setup({ store: first.store, strategy, maxTrials: 2 });
    expect(loop.start()).toEqual([{ kind: 'complete' }]);
    expect(loop.start()).toEqual([]);
  });
});
