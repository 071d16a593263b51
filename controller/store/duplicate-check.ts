/**
 * What two searches writing one run at once leave behind (the run lease now refuses the second;
 * runs written before it may hold this): a candidate asked or told twice in the strategy journal,
 * and a candidate queued as two trials. Replayed, such a journal asks the strategy for candidates
 * it already has, and the trials count twice against the budget. The first of each stays; each
 * later one is a problem.
 */
import type Database from 'better-sqlite3';
import type { StoreProblem } from './store-problem.ts';

/** Why the race happened, for every duplicate's message. */
const CAUSE = 'two searches wrote this run at once';

/** Every journal entry that repeats an earlier ask or tell of the same candidate, in journal order. */
export function checkJournalDuplicates(db: Database.Database): StoreProblem[] {
  const rows = db
    .prepare<[], { seq: number; kind: string; candidateId: number; first: number }>(
      `SELECT seq, kind, candidateId, first FROM (
         SELECT seq, kind, candidate_id AS candidateId,
           MIN(seq) OVER (PARTITION BY kind, candidate_id) AS first
         FROM strategy_journal WHERE kind IN ('ask', 'tell'))
       WHERE seq > first ORDER BY seq`,
    )
    .all();
  return rows.map((r) => ({
    table: 'strategy_journal',
    row: `journal seq ${r.seq}`,
    field: 'candidate_id',
    why: `candidate ${r.candidateId} ${r.kind === 'ask' ? 'asked' : 'told'} again (first at journal seq ${r.first}); ${CAUSE}`,
    repair: { kind: 'drop-duplicate-entry', seq: r.seq },
  }));
}

/**
 * Every trial of a candidate that has another trial, in id order, except the one kept: the first
 * to finish (its result is the one the journal told the strategy), else the first queued.
 */
export function checkTrialDuplicates(db: Database.Database): StoreProblem[] {
  const rows = db
    .prepare<[], { id: number; candidateId: number; kept: number; finished: number }>(
      `SELECT id, candidateId, kept, finished FROM (
         SELECT id, candidate_id AS candidateId,
           FIRST_VALUE(id) OVER first AS kept,
           FIRST_VALUE(finish_order IS NOT NULL) OVER first AS finished
         FROM trials
         WINDOW first AS (PARTITION BY candidate_id ORDER BY finish_order IS NULL, finish_order, id))
       WHERE id <> kept ORDER BY id`,
    )
    .all();
  return rows.map((r) => ({
    table: 'trials',
    row: `trial ${r.id}`,
    field: 'candidate_id',
    why: `candidate ${r.candidateId} has trial ${r.kept} too, which ${r.finished === 1 ? 'finished' : 'was queued'} first and is kept; ${CAUSE}`,
    repair: { kind: 'set-aside-duplicate', trialId: r.id },
  }));
}
