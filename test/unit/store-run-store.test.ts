import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KEPT_SNAPSHOTS,
  RUN_FILE,
  RunExistsError,
  UnknownTrialError,
  createRunStore,
  openRunStore,
  type RunStore,
} from '../../controller/store/index.ts';
import {
  candidate,
  epochMetrics,
  fabricatedResult,
  testConfig,
} from '../fixtures/run-store-fixtures.ts';

const TRIAL_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

const open: RunStore[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

function tempRun(): string {
  return join(mkdtempSync(join(tmpdir(), 'cellsearch-store-')), 'run');
}

function track(store: RunStore): RunStore {
  open.push(store);
  return store;
}

function clock(start = 1_700_000_000_000, step = 1000): () => number {
  let t = start - step;
  return () => (t += step);
}

const succeeded = (reward: number) =>
  ({ status: 'succeeded', reward, reason: '', result: fabricatedResult(reward) }) as const;

describe('run store: config', () => {
  it('writes the config once and reads it back from disk', () => {
    const dir = tempRun();
    createRunStore(dir, testConfig('rl', 42), { now: () => 1234 }).close();
    const config = track(openRunStore(dir)).config();
    expect(config).toMatchObject({ strategy: 'rl', seed: 42, schemaVersion: 1, createdAt: 1234 });
    expect(config.space).toEqual(testConfig().space);
    expect(config.settings).toEqual(testConfig('rl', 42).settings);
  });

  it('refuses to create a run where one exists', () => {
    const dir = tempRun();
    track(createRunStore(dir, testConfig()));
    expect(() => createRunStore(dir, testConfig())).toThrow(RunExistsError);
    expect(() => createRunStore(dir, testConfig())).toThrow(dir);
  });
});

describe('run store: trials', () => {
  it('round-trips a trial through its whole life, on disk', () => {
    const dir = tempRun();
    const store = createRunStore(dir, testConfig(), { now: clock() });
    const c = candidate(1);
    const id = store.trialQueued(c);
    expect(store.trialStarted(id, '10.0.0.1:50051')).toBe(true);
    expect(store.trialEpoch(id, { ...epochMetrics(0, 0.4), validationLoss: NaN })).toBe(true);
    expect(store.trialFinished(id, succeeded(0.81))).toBe(true);
    store.close();

    const reopened = track(openRunStore(dir));
    const t = reopened.trial(id);
    expect(t).toMatchObject({ id, candidateId: 1, hash: c.hash, status: 'succeeded', attempts: 1 });
    expect(t.genotype).toEqual(c.genotype);
    expect(t.meta).toEqual(c.meta);
    expect(t.trainer).toBe('10.0.0.1:50051');
    expect(t.reward).toBe(0.81);
    expect(t.finishOrder).toBe(1);
    expect(t.result).toMatchObject({
      params: 3_300_000,
      backend: 'cpu',
      latency: { batch1Ms: 4.5 },
    });
    // The clock ticks once per timestamp; creating the run took the first.
    expect([t.createdAt, t.startedAt, t.finishedAt]).toEqual([
      1_700_000_001_000, 1_700_000_002_000, 1_700_000_003_000,
    ]);
    const epochs = reopened.epochs(id);
    expect(epochs).toEqual(fabricatedResult(0.81).epochs);
    expect(epochs[0]?.validationLoss).toBeCloseTo(1.5); // the result's epochs replace the streamed one
  });

  it('reads NaN metrics back as NaN and stores a non-finite reward as null', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const id = store.trialQueued(candidate(2));
    store.trialEpoch(id, { ...epochMetrics(0, NaN), validationLoss: NaN });
    store.trialFinished(id, { status: 'succeeded', reward: NaN, reason: '', result: null });
    expect(store.epochs(id)[0]?.validationAccuracy).toBeNaN();
    expect(store.trial(id).reward).toBeNull();
  });

  it('finishes a trial at most once', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const id = store.trialQueued(candidate(1));
    store.trialStarted(id, 'a:1');
    expect(store.trialFinished(id, succeeded(0.5))).toBe(true);
    const failed = { status: 'failed', reward: null, reason: 'late', result: null } as const;
    expect(store.trialFinished(id, failed)).toBe(false);
    expect(store.trialRequeued(id, 'trainer died')).toBe(false);
    expect(store.trialStarted(id, 'b:2')).toBe(false);
    expect(store.trialEpoch(id, epochMetrics(5, 0.1))).toBe(false);
    expect(store.trial(id)).toMatchObject({ status: 'succeeded', reward: 0.5, finishOrder: 1 });
    expect(store.trial(id).trainer).toBe('a:1');
    expect(store.epochs(id)).toHaveLength(2);
    expect(store.counts()).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it('lets only one of two connections finish the same trial', () => {
    const dir = tempRun();
    const a = track(createRunStore(dir, testConfig()));
    const b = track(openRunStore(dir));
    const id = a.trialQueued(candidate(1));
    const outcomes = [a.trialFinished(id, succeeded(0.6)), b.trialFinished(id, succeeded(0.7))];
    expect(outcomes).toEqual([true, false]);
    expect(b.trial(id).reward).toBe(0.6);
  });

  it('throws for unknown trial ids', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    expect(() => store.trialStarted(99, 'x:1')).toThrow(UnknownTrialError);
    expect(() => store.trialFinished(99, succeeded(1))).toThrow('no trial 99');
    expect(() => store.trial(99)).toThrow(UnknownTrialError);
  });

  it('requeues an unfinished trial with one more attempt and a clean curve', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const id = store.trialQueued(candidate(1));
    store.trialStarted(id, 'a:1');
    store.trialEpoch(id, epochMetrics(0, 0.3));
    expect(store.trialRequeued(id, 'trainer a:1 vanished')).toBe(true);
    expect(store.trial(id)).toMatchObject({ status: 'queued', attempts: 2, startedAt: null });
    expect(store.trial(id).reason).toBe('trainer a:1 vanished');
    expect(store.epochs(id)).toEqual([]);
    expect(store.unfinishedTrials().map((t) => t.id)).toEqual([id]);
    store.trialStarted(id, 'b:2');
    expect(store.trialRequeued(id, 'again')).toBe(true);
    expect(store.trial(id).attempts).toBe(3);
  });

  it('returns queued and running trials for a resume, and keeps finished ones', () => {
    const dir = tempRun();
    const store = createRunStore(dir, testConfig());
    const ids = [1, 2, 3, 4].map((i) => store.trialQueued(candidate(i)));
    const [a = 0, b = 0, c = 0] = ids;
    store.trialStarted(a, 'x:1');
    store.trialStarted(b, 'x:2');
    store.trialFinished(b, succeeded(0.9));
    store.trialFinished(c, { status: 'failed', reward: null, reason: 'OOM', result: null });
    store.close();
    const resumed = track(openRunStore(dir));
    expect(resumed.unfinishedTrials().map((t) => [t.id, t.status])).toEqual([
      [a, 'running'],
      [ids[3], 'queued'],
    ]);
    expect(resumed.finishedTrials().map((t) => t.id)).toEqual([b, c]);
    expect(resumed.finishedTrials(1).map((t) => t.id)).toEqual([c]);
    expect(resumed.counts()).toEqual({
      queued: 1,
      running: 1,
      succeeded: 1,
      failed: 1,
      cancelled: 0,
    });
    const counted = Object.fromEntries(
      TRIAL_STATES.map((status) => [status, resumed.trials({ status: [status] }).length]),
    );
    expect(resumed.counts()).toEqual(counted);
  });
});

describe('run store: batches', () => {
  it('commits a batch of operations together, or none of them', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const id = store.batch(() => {
      const queued = store.trialQueued(candidate(1));
      store.trialStarted(queued, 'a:1');
      store.trialFinished(queued, succeeded(0.3));
      return queued;
    });
    expect(store.trial(id).status).toBe('succeeded');
    expect(() =>
      store.batch(() => {
        store.trialQueued(candidate(2));
        store.trialFinished(999, succeeded(0.1));
      }),
    ).toThrow(UnknownTrialError);
    expect(store.trials().map((t) => t.id)).toEqual([id]);
  });
});

describe('run store: queries', () => {
  it('ranks the best trials by reward, one per genotype, earlier finish first on ties', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const rewards: [number, number][] = [
      [1, 0.5],
      [2, 0.9],
      [2, 0.95], // the same genotype again: only its better trial is listed
      [3, 0.7],
      [4, 0.7],
      [5, 0.2],
    ];
    const ids = rewards.map(([c, r]) => {
      const id = store.trialQueued(candidate(c));
      store.trialFinished(id, succeeded(r));
      return id;
    });
    const failed = store.trialQueued(candidate(6));
    store.trialFinished(failed, {
      status: 'failed',
      reward: null,
      reason: 'NaN loss',
      result: null,
    });
    expect(store.bestTrials(3).map((t) => t.id)).toEqual([ids[2], ids[3], ids[4]]);
    expect(store.bestTrials(100)).toHaveLength(5);
    expect(store.recentFailures(5).map((t) => t.reason)).toEqual(['NaN loss']);
    expect(store.rewardCurve().map((p) => p.reward)).toEqual([0.5, 0.9, 0.95, 0.7, 0.7, 0.2, null]);
    expect(store.trials({ hash: candidate(2).hash }).map((t) => t.id)).toEqual([ids[1], ids[2]]);
    expect(store.trials({ status: ['failed'] }).map((t) => t.id)).toEqual([failed]);
    expect(store.trials()).toHaveLength(7);
  });

  it('finds a finished genotype by hash, preferring a success', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const c = candidate(1);
    expect(store.finishedHash(c.hash)).toBeUndefined();
    const first = store.trialQueued(c);
    store.trialFinished(first, succeeded(0.4));
    const second = store.trialQueued(c);
    store.trialFinished(second, { status: 'failed', reward: null, reason: 'x', result: null });
    store.trialQueued(c);
    expect(store.finishedHash(c.hash)?.id).toBe(first);
  });

  it('reports the span of the run', () => {
    const store = track(createRunStore(tempRun(), testConfig(), { now: clock(1000, 1000) }));
    expect(store.span()).toEqual({ firstCreatedAt: null, lastFinishedAt: null });
    const id = store.trialQueued(candidate(1)); // t = 2000 (creation took 1000)
    store.trialFinished(id, succeeded(0.1)); // t = 3000
    expect(store.span()).toEqual({ firstCreatedAt: 2000, lastFinishedAt: 3000 });
  });
});

describe('run store: snapshots', () => {
  it('returns the latest snapshot and keeps only the newest few', () => {
    const dir = tempRun();
    const store = createRunStore(dir, testConfig());
    expect(store.latestSnapshot()).toBeNull();
    for (let n = 1; n <= 5; n++) store.saveSnapshot({ weights: [n, n / 2], n }, n * 20);
    store.close();
    const reopened = track(openRunStore(dir));
    expect(reopened.latestSnapshot()).toMatchObject({
      snapshot: { weights: [5, 2.5], n: 5 },
      finishedTrials: 100,
    });
    const db = new Database(join(dir, RUN_FILE), { readonly: true });
    const row = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM snapshots').get();
    db.close();
    expect(row?.n).toBe(KEPT_SNAPSHOTS);
  });
});

describe('a run store committing once per event-loop turn', () => {
  /** What another connection (nas-ctl status during a search) sees: the number of finished trials. */
  function finishedSeenOutside(dir: string): number {
    const db = new Database(join(dir, RUN_FILE), { readonly: true });
    try {
      const row = db
        .prepare<[], { n: number }>(
          'SELECT COUNT(*) AS n FROM trials WHERE finish_order IS NOT NULL',
        )
        .get();
      return row?.n ?? -1;
    } finally {
      db.close();
    }
  }

  it("commits a turn's writes together at its end, and runs afterCommit callbacks only then", async () => {
    const dir = tempRun();
    const store = track(createRunStore(dir, testConfig(), { commit: 'turn' }));
    const seen: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const id = store.trialQueued(candidate(i));
      store.journal.asked(i);
      store.trialStarted(id, '127.0.0.1:5001');
      store.trialFinished(id, { status: 'succeeded', reward: i / 10, reason: '', result: null });
      store.journal.told(i, i / 10);
      store.afterCommit(() => seen.push(`${id}: ${finishedSeenOutside(dir)} outside`));
    }
    // Inside the turn the store reads its own writes; nobody else sees them yet.
    expect(store.counts().succeeded).toBe(3);
    expect(finishedSeenOutside(dir)).toBe(0);
    expect(seen).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['1: 3 outside', '2: 3 outside', '3: 3 outside']);
    expect(store.journal.entriesAfter(0).map((e) => e.kind)).toEqual([
      'ask',
      'tell',
      'ask',
      'tell',
      'ask',
      'tell',
    ]);
    // With nothing pending, a callback runs at once.
    let ran = false;
    store.afterCommit(() => (ran = true));
    expect(ran).toBe(true);
  });

  it('commits what is pending when closed', () => {
    const dir = tempRun();
    const store = createRunStore(dir, testConfig(), { commit: 'turn' });
    const id = store.trialQueued(candidate(1));
    store.trialFinished(id, { status: 'failed', reward: null, reason: 'x', result: null });
    store.close();
    expect(finishedSeenOutside(dir)).toBe(1);
  });

  it('still refuses to finish a trial twice within one turn', () => {
    const store = track(createRunStore(tempRun(), testConfig(), { commit: 'turn' }));
    const id = store.trialQueued(candidate(1));
    const outcome = { status: 'succeeded', reward: 0.5, reason: '', result: null } as const;
    expect(store.trialFinished(id, outcome)).toBe(true);
    expect(store.trialFinished(id, outcome)).toBe(false);
    expect(() => store.trialFinished(id + 1, outcome)).toThrow(UnknownTrialError);
    expect(store.counts().succeeded).toBe(1);
  });
});

describe('an interrupted trial', () => {
  it('goes back to the queue without its epochs and without counting an attempt', () => {
    const store = track(createRunStore(tempRun(), testConfig()));
    const id = store.trialQueued(candidate(1));
    store.trialStarted(id, '127.0.0.1:5001');
    store.trialEpoch(id, epochMetrics(1, 0.4));
    expect(store.trialInterrupted(id, 'the search stopped')).toBe(true);
    expect(store.trial(id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(store.epochs(id)).toEqual([]);
    store.trialStarted(id, '127.0.0.1:5002');
    store.trialFinished(id, {
      status: 'succeeded',
      reward: 0.8,
      reason: '',
      result: fabricatedResult(0.8),
    });
    expect(store.epochs(id)).toHaveLength(2);
    expect(store.trialInterrupted(id, 'late')).toBe(false);
    expect(store.trial(id).status).toBe('succeeded');
  });
});
