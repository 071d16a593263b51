/**
 * The trial lifecycle against a model of its phases, over a real SQLite run store: any sequence of
 * changes asked of a few trials either follows the model (and the stored row says the same) or is
 * refused with a TrialLifecycleError that names the trial and writes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TrialLifecycle,
  TrialLifecycleError,
  type TrialPhase,
} from '../../controller/search/trial-lifecycle.ts';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { candidate, epochMetrics, testConfig } from '../fixtures/run-store-fixtures.ts';

const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function newStore(): RunStore {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-lifecycle-')), 'run');
  const store = createRunStore(dir, testConfig('random', 1));
  stores.push(store);
  return store;
}

type Change = 'dispatched' | 'running' | 'epoch' | 'retried' | 'finished' | 'cancelled';
const CHANGES: readonly Change[] = [
  'dispatched',
  'running',
  'epoch',
  'retried',
  'finished',
  'cancelled',
];

/** The phases each change is allowed from, and the phase after it (null: the trial left). */
const MODEL: Record<Change, { from: readonly TrialPhase[]; to: TrialPhase | null }> = {
  dispatched: { from: ['queued', 'dispatched'], to: 'dispatched' },
  running: { from: ['dispatched', 'running'], to: 'running' },
  epoch: { from: ['running'], to: 'running' },
  retried: { from: ['dispatched', 'running'], to: 'queued' },
  finished: { from: ['queued', 'dispatched', 'running'], to: null },
  cancelled: { from: ['queued', 'dispatched', 'running'], to: null },
};

/** Asks `change` of trial `id` (`epoch`: the epoch number it reports). */
function apply(lifecycle: TrialLifecycle, id: number, change: Change, epoch: number): void {
  switch (change) {
    case 'dispatched':
      return lifecycle.dispatched(id, '127.0.0.1:1');
    case 'running':
      return lifecycle.running(id);
    case 'epoch':
      return lifecycle.epoch(id, epochMetrics(epoch, 0.5));
    case 'retried':
      return lifecycle.retried(id, 'the trainer went away');
    case 'finished':
      return lifecycle.finished(id, { status: 'failed', reward: null, reason: 'x', result: null });
    case 'cancelled':
      return lifecycle.cancelled(id, 'the search stopped');
  }
}

describe('the trial lifecycle', () => {
  it('allows exactly the changes of the model, stores them, and refuses the rest unwritten', () => {
    const steps = fc.array(fc.tuple(fc.nat(2), fc.constantFrom(...CHANGES)), { maxLength: 30 });
    fc.assert(
      fc.property(steps, (sequence) => {
        const store = newStore();
        const lifecycle = new TrialLifecycle(store);
        const ids = [1, 2, 3].map((i) => lifecycle.asked(candidate(i)));
        const phase = new Map<number, TrialPhase | null>(ids.map((id) => [id, 'queued']));
        const attempts = new Map<number, number>(ids.map((id) => [id, 1]));
        const epochs = new Map<number, number>(ids.map((id) => [id, 0]));
        for (const [which, change] of sequence) {
          const id = ids[which] ?? 1;
          const before = store.trial(id);
          const now = phase.get(id) ?? null;
          const rule = MODEL[change];
          if (now === null || !rule.from.includes(now)) {
            expect(() => apply(lifecycle, id, change, 1)).toThrow(TrialLifecycleError);
            expect(store.trial(id)).toEqual(before);
            continue;
          }
          const epoch = (epochs.get(id) ?? 0) + 1;
          apply(lifecycle, id, change, epoch);
          if (change === 'epoch') epochs.set(id, epoch);
          // Only an attempt a trainer took counts, and a requeue clears its epochs.
          if (change === 'retried' && now === 'running') {
            attempts.set(id, (attempts.get(id) ?? 1) + 1);
            epochs.set(id, 0);
          }
          if (change === 'cancelled') epochs.set(id, 0);
          phase.set(id, rule.to);
          expect(lifecycle.phase(id)).toBe(rule.to ?? undefined);
          const row = store.trial(id);
          expect(row.attempts).toBe(attempts.get(id));
          if (change === 'finished') expect(row.status).toBe('failed');
          else if (change === 'cancelled') expect(row.status).toBe('queued');
          else if (change === 'dispatched') expect(row.status).toBe('running');
          if (change !== 'finished') expect(store.epochs(id)).toHaveLength(epochs.get(id) ?? 0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names the trial, the change and its phase when a change is not allowed', () => {
    const lifecycle = new TrialLifecycle(newStore());
    const id = lifecycle.asked(candidate(1));
    expect(() => lifecycle.epoch(id, epochMetrics(1, 0.5))).toThrow(
      `trial ${id} cannot be given an epoch: it is queued (allowed from running)`,
    );
    lifecycle.finished(id, { status: 'failed', reward: null, reason: 'x', result: null });
    expect(() => lifecycle.dispatched(id, 'a:1')).toThrow(
      `trial ${id} cannot be dispatched: it is not live in this search`,
    );
  });

  it('takes on rows a crashed search left, putting a running one back without an attempt', () => {
    const store = newStore();
    const first = new TrialLifecycle(store);
    const id = first.asked(candidate(1));
    first.dispatched(id, 'a:1');
    first.running(id);
    const resumed = new TrialLifecycle(store);
    resumed.adopted(id, true);
    expect(store.trial(id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(store.trial(id).reason).toMatch(/crashed/);
    expect(resumed.phase(id)).toBe('queued');
    resumed.reasked(id, 1);
    resumed.dispatched(id, 'b:2');
    expect(store.trial(id)).toMatchObject({ status: 'running', trainer: 'b:2' });
  });
});
