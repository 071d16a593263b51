/**
 * The repairs of `nas-ctl doctor --repair`, applied in one transaction (see {@link Repair}). Nothing
 * readable is deleted: a trial that cannot run again, or a candidate's second trial, moves with its
 * epochs to `damaged_trials`, a repeated journal entry to `damaged_journal` (damaged-tables.ts), an
 * unreadable field is cleared (the `.bak-` copy keeps the original), derived tables are rebuilt.
 */
import type Database from 'better-sqlite3';
import { moveJournalEntry, moveTrial } from './damaged-tables.ts';
import { failTrial } from './fail-trial.ts';
import { SCHEMA_OBJECTS, TRIAL_STATES } from './schema.ts';
import { formatProblem, type StoreProblem } from './store-problem.ts';
import { JOURNAL_DDL } from './strategy-journal.ts';

/** Applies the repair of every repairable problem; returns the ones it repaired. */
export function applyRepairs(
  db: Database.Database,
  problems: readonly StoreProblem[],
  now: number,
): StoreProblem[] {
  const done = problems.filter((p) => p.repair !== null);
  db.transaction(() => {
    createMissing(db);
    // Duplicates first: a quarantine below counts the asks and tells of its candidate.
    let dropSnapshots = removeDuplicates(db, done, now);
    const unordered: number[] = [];
    for (const p of done) {
      const r = p.repair;
      if (r === null || r.kind === 'rebuild') continue;
      if (r.kind === 'drop-snapshots') dropSnapshots = true;
      else if (r.kind === 'requeue') requeue(db, r.trialId, p);
      else if (r.kind === 'restore-finish-order') unordered.push(r.trialId);
      else if (r.kind === 'clear-field') clearField(db, r.trialId, r.field);
      else if (r.kind === 'quarantine')
        dropSnapshots = quarantine(db, r.trialId, p, now) || dropSnapshots;
      else if (r.kind === 'fail-trial')
        dropSnapshots = failTrial(db, r.trialId, p) || dropSnapshots;
    }
    restoreFinishOrders(db, unordered);
    if (dropSnapshots) db.exec('DELETE FROM snapshots');
    recount(db);
  })();
  return done;
}

/**
 * Moves the repeated journal entries and the candidates' second trials aside; returns whether any
 * was. The journal then asks and tells each candidate once, as one search would have, and the
 * finished trials are numbered 1, 2, 3, ... again. The snapshots must go: each reflects one
 * search's strategy at a journal position that counts both searches' entries, so a resume replays
 * the whole journal instead.
 */
function removeDuplicates(
  db: Database.Database,
  problems: readonly StoreProblem[],
  now: number,
): boolean {
  let trials = false;
  let entries = false;
  for (const p of problems) {
    const r = p.repair;
    if (r?.kind === 'drop-duplicate-entry') {
      moveJournalEntry(db, r.seq, formatProblem(p), now);
      entries = true;
    } else if (r?.kind === 'set-aside-duplicate') {
      trials = moveTrial(db, r.trialId, formatProblem(p), now) !== null || trials;
    }
  }
  if (trials) renumberFinishOrders(db);
  return trials || entries;
}

/** Numbers the finished trials 1, 2, 3, ... in their finish order (two passes: the column is unique). */
function renumberFinishOrders(db: Database.Database): void {
  const ids = db
    .prepare<[], { id: number }>(
      'SELECT id FROM trials WHERE finish_order NOT NULL ORDER BY finish_order',
    )
    .all();
  const set = db.prepare<[number, number]>('UPDATE trials SET finish_order = ? WHERE id = ?');
  ids.forEach(({ id }, i) => set.run(-(i + 1), id));
  db.exec('UPDATE trials SET finish_order = -finish_order WHERE finish_order < 0');
}

/** Creates every missing table, index and trigger of the schema (and the journal). */
function createMissing(db: Database.Database): void {
  const present = new Set(
    db
      .prepare<[], { name: string }>('SELECT name FROM sqlite_master')
      .all()
      .map((r) => r.name),
  );
  for (const [name, ddl] of Object.entries(SCHEMA_OBJECTS)) if (!present.has(name)) db.exec(ddl);
  db.exec(JOURNAL_DDL);
}

/** Sets `trial_counts` from the trials themselves. */
function recount(db: Database.Database): void {
  const count = db.prepare<[string, string]>(
    `INSERT OR REPLACE INTO trial_counts (status, n)
     VALUES (?, (SELECT COUNT(*) FROM trials WHERE status = ?))`,
  );
  for (const status of TRIAL_STATES) count.run(status, status);
}

/** Puts trial `id` back in the queue and deletes its epochs, as the store's own requeue does. */
function requeue(db: Database.Database, id: number, p: StoreProblem): void {
  db.prepare<[string, number]>(
    `UPDATE trials SET status = 'queued', finish_order = NULL, finished_at = NULL,
       started_at = NULL, attempts = attempts + 1, reason = ? WHERE id = ?`,
  ).run(`re-queued by nas-ctl doctor: ${formatProblem(p)}`, id);
  // The re-run's epochs must never mix with the old attempt's.
  db.prepare<[number]>('DELETE FROM epochs WHERE trial_id = ?').run(id);
}

/**
 * Gives the finished trials `ids`, which lost their finish order, the free finish orders: in the
 * order they finished (`finished_at`, then id), the gaps in 1 .. max first (where a lost order
 * was), then the numbers after the last one.
 */
function restoreFinishOrders(db: Database.Database, ids: readonly number[]): void {
  if (ids.length === 0) return;
  const taken = new Set(
    db
      .prepare<[], { n: number }>(
        'SELECT finish_order AS n FROM trials WHERE finish_order NOT NULL',
      )
      .all()
      .map((r) => r.n),
  );
  const inOrder = db
    .prepare<[string], { id: number }>(
      `SELECT id FROM trials WHERE id IN (SELECT value FROM json_each(?))
       ORDER BY finished_at IS NULL, finished_at, id`,
    )
    .all(JSON.stringify(ids));
  const set = db.prepare<[number, number]>('UPDATE trials SET finish_order = ? WHERE id = ?');
  let next = 1;
  for (const { id } of inOrder) {
    while (taken.has(next)) next++;
    set.run(next, id);
    taken.add(next);
  }
}

function clearField(db: Database.Database, id: number, field: 'meta' | 'result'): void {
  const sql =
    field === 'meta'
      ? "UPDATE trials SET meta = 'null' WHERE id = ?"
      : 'UPDATE trials SET result = NULL WHERE id = ?';
  db.prepare<[number]>(sql).run(id);
}

/**
 * Moves trial `id` and its epochs to `damaged_trials`. If the strategy asked for it and was never
 * told its result, the journal tells it a failure (reward null), as for any failed trial. Returns
 * whether the snapshots must go (one may hold the candidate pending, and its trial is gone).
 */
function quarantine(db: Database.Database, id: number, p: StoreProblem, now: number): boolean {
  const candidateId = moveTrial(db, id, formatProblem(p), now);
  if (candidateId === null) return false;
  const entries = db
    .prepare<[number], { asks: number; tells: number }>(
      `SELECT COUNT(*) FILTER (WHERE kind = 'ask') AS asks,
         COUNT(*) FILTER (WHERE kind = 'tell') AS tells
       FROM strategy_journal WHERE candidate_id = ?`,
    )
    .get(candidateId);
  if (entries !== undefined && entries.asks > entries.tells)
    db.prepare<[number]>(
      "INSERT INTO strategy_journal (kind, candidate_id, reward) VALUES ('tell', ?, NULL)",
    ).run(candidateId);
  return true;
}
