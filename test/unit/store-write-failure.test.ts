/**
 * A write the disk refuses, with per-turn commits (issue #21): SQLite's own SQLITE_FULL, made by a
 * page limit on a real run database (`PRAGMA max_page_count`), fails the turn whole. Whatever the
 * point where the database fills, the run reads back as exactly the turns committed before it,
 * the failure is told once as a RunStoreWriteError naming the run and how to resume, the failed
 * turn's afterCommit callbacks never run, and every later write throws the same error.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRunStore,
  openRunDatabase,
  openRunStore,
  type QueuedTrial,
} from '../../controller/store/index.ts';
import { SqliteRunStore } from '../../controller/store/sqlite-run-store.ts';
import { RunStoreWriteError } from '../../controller/store/store-write-error.ts';
import { candidate, testConfig } from '../fixtures/run-store-fixtures.ts';

/** A run directory holding a fresh run, and a turn-committing store over it limited to `extraPages`. */
function limitedStore(extraPages: number): { dir: string; store: SqliteRunStore } {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-full-store-')), 'run');
  createRunStore(dir, testConfig()).close();
  const db = openRunDatabase(dir, 'write');
  const pages = Number(db.pragma('page_count', { simple: true }));
  db.pragma(`max_page_count = ${pages + extraPages}`);
  return { dir, store: new SqliteRunStore(dir, db, Date.now, 'turn') };
}

/** Candidate `id` with meta of about `bytes` bytes, so that rows fill pages quickly. */
function bulky(id: number, bytes: number): QueuedTrial {
  return { ...candidate(id), meta: { padding: 'x'.repeat(bytes) } };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a run store whose disk fills up mid-turn', () => {
  it('keeps exactly the committed turns, tells the failure once, and refuses every later write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 200, max: 3000 }),
        async (extraPages, turnSizes, bytes) => {
          const { dir, store } = limitedStore(extraPages);
          const told: unknown[] = [];
          store.onWriteFailure((err) => told.push(err));
          const committed: number[] = [];
          const callbacks: number[] = [];
          let id = 0;
          let failure: unknown = null;
          for (const [turn, size] of turnSizes.entries()) {
            const ids: number[] = [];
            try {
              for (let i = 0; i < size; i++) {
                ids.push(store.trialQueued(bulky(++id, bytes)));
                store.journal.asked(id);
              }
              store.afterCommit(() => callbacks.push(turn));
            } catch (err) {
              failure = err;
            }
            await nextTurn();
            if (failure !== null) break;
            if (told.length === 0) committed.push(...ids);
          }
          if (failure === null && told.length === 0) {
            store.close();
            return; // the limit was never reached: nothing to check
          }
          const error = told[0];
          expect(told).toHaveLength(1);
          expect(error).toBeInstanceOf(RunStoreWriteError);
          expect((error as RunStoreWriteError).code).toBe('RUN_STORE_FULL');
          expect((error as Error).message).toContain(`nas-ctl search --resume ${dir}`);
          if (failure !== null) expect(failure).toBe(error);
          expect(() => store.trialQueued(candidate(++id))).toThrow(error);
          expect(() => store.close()).not.toThrow();
          const reopened = openRunStore(dir, { readonly: true });
          try {
            expect(reopened.trials().map((t) => t.id)).toEqual(committed);
            expect(reopened.journal.entriesAfter(0)).toHaveLength(committed.length);
          } finally {
            reopened.close();
          }
          // Only the turns that were committed ran their callbacks.
          expect(callbacks.length).toBeLessThanOrEqual(turnSizes.length);
          expect(new Set(callbacks).size).toBe(callbacks.length);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
