/**
 * Finding 8c: a trial put back in the queue (by hand, or by `nas-ctl doctor --repair`) after the
 * strategy journal told its result. A resume must run it again — the row says it has no result —
 * while the strategy, which already learnt from the told reward, is not told a second time.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { openRunStore, RUN_FILE } from '../../controller/store/index.ts';
import { driveToEnd, finishedRun, loopOver } from '../fixtures/finished-run.ts';

const TRIALS = 30;

/** Puts finished trial `id` back in the queue, as a person editing the database would. */
function requeueByHand(dir: string, id: number): void {
  const db = new Database(join(dir, RUN_FILE));
  try {
    db.prepare(
      `UPDATE trials SET status = 'queued', finish_order = NULL, finished_at = NULL,
         started_at = NULL, reward = NULL, result = NULL WHERE id = ?`,
    ).run(id);
  } finally {
    db.close();
  }
}

describe('resuming a run with a trial re-queued after the journal told its result', () => {
  it('runs the trial again, and tells the strategy nothing twice', () => {
    const dir = finishedRun(TRIALS);
    requeueByHand(dir, 7);
    const store = openRunStore(dir);
    try {
      expect(store.counts()).toMatchObject({ succeeded: TRIALS - 1, queued: 1 });
      const tellsBefore = store.journal.entriesAfter(0).filter((e) => e.kind === 'tell').length;
      const strategy = restoreStrategy(defaultStrategyConfig('random', 1), DEFAULT_SPACE, store);
      const next = strategy.snapshot();
      const dispatched = driveToEnd(loopOver(store, strategy, TRIALS));
      expect(dispatched).toEqual([7]);
      expect(store.counts()).toMatchObject({ succeeded: TRIALS, queued: 0, running: 0 });
      expect(store.trial(7)).toMatchObject({ status: 'succeeded', finishOrder: TRIALS + 1 });
      expect(store.trial(7).result).not.toBeNull();
      const tellsAfter = store.journal.entriesAfter(0).filter((e) => e.kind === 'tell').length;
      expect(tellsAfter).toBe(tellsBefore);
      // The strategy asked nothing new: no trial beyond the limit, its state as restored.
      expect(store.trials()).toHaveLength(TRIALS);
      expect(strategy.snapshot()).toEqual(next);
    } finally {
      store.close();
    }
  });
});
