/**
 * Every SQL statement of the run store, prepared once per connection: one statement per operation.
 * State changes are guarded in SQL (`WHERE status IN ('queued', 'running')`), so a finished trial
 * can never change again, whatever the callers race on.
 */
import type Database from 'better-sqlite3';
import type { EpochRow, RunRow, TrialRow } from './row-codec.ts';

const UNFINISHED = `status IN ('queued', 'running')`;

/** Bind parameters of a finish. */
interface FinishParams {
  id: number;
  status: string;
  reward: number | null;
  reason: string;
  result: string | null;
  now: number;
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;

/** Prepares the run store's statements on `db` (whose schema must exist). */
export function prepareStatements(db: Database.Database) {
  return { ...writeStatements(db), ...trialQueries(db), ...runQueries(db) };
}

/** The statements that change trials and snapshots. */
function writeStatements(db: Database.Database) {
  return {
    insertTrial: db.prepare<[number, string, string, string, number]>(
      'INSERT INTO trials (candidate_id, genotype, hash, meta, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    start: db.prepare<{ id: number; trainer: string; now: number }>(
      `UPDATE trials SET status = 'running', trainer = @trainer, started_at = @now
       WHERE id = @id AND ${UNFINISHED}`,
    ),
    finish: db.prepare<FinishParams>(
      `UPDATE trials SET status = @status, reward = @reward, reason = @reason, result = @result,
         finished_at = @now,
         finish_order = (SELECT COALESCE(MAX(finish_order), 0) + 1 FROM trials)
       WHERE id = @id AND ${UNFINISHED}`,
    ),
    requeue: db.prepare<{ id: number; reason: string }>(
      `UPDATE trials SET status = 'queued', attempts = attempts + 1, reason = @reason,
         started_at = NULL
       WHERE id = @id AND ${UNFINISHED}`,
    ),
    interrupt: db.prepare<{ id: number; reason: string }>(
      `UPDATE trials SET status = 'queued', reason = @reason, started_at = NULL
       WHERE id = @id AND ${UNFINISHED}`,
    ),
    putEpoch: db.prepare<EpochRow & { trial_id: number }>(
      `INSERT OR REPLACE INTO epochs
       SELECT @trial_id, @epoch, @train_loss, @train_accuracy, @validation_loss,
         @validation_accuracy, @learning_rate, @seconds, @images_per_second
       WHERE EXISTS (SELECT 1 FROM trials WHERE id = @trial_id AND ${UNFINISHED})`,
    ),
    // The epochs a finish brings, written right after the finish it belongs to (no guard needed).
    putFinalEpoch: db.prepare<EpochRow & { trial_id: number }>(
      `INSERT OR REPLACE INTO epochs VALUES (@trial_id, @epoch, @train_loss, @train_accuracy,
         @validation_loss, @validation_accuracy, @learning_rate, @seconds, @images_per_second)`,
    ),
    clearEpochs: db.prepare<[number]>('DELETE FROM epochs WHERE trial_id = ?'),
    insertSnapshot: db.prepare<[number, string, number]>(
      'INSERT INTO snapshots (finished_trials, snapshot, created_at) VALUES (?, ?, ?)',
    ),
    pruneSnapshots: db.prepare<[number]>(
      'DELETE FROM snapshots WHERE id NOT IN (SELECT id FROM snapshots ORDER BY id DESC LIMIT ?)',
    ),
  };
}

/** The statements that read trials and their epochs. */
function trialQueries(db: Database.Database) {
  const trials = <P extends unknown[] | object>(where: string) =>
    db.prepare<P, TrialRow>(`SELECT * FROM trials ${where}`);
  return {
    epochs: db.prepare<[number], EpochRow>(
      `SELECT epoch, train_loss, train_accuracy, validation_loss, validation_accuracy,
         learning_rate, seconds, images_per_second
       FROM epochs WHERE trial_id = ? ORDER BY epoch`,
    ),
    trial: trials<[number]>('WHERE id = ?'),
    trials: trials<{ statuses: string | null; hash: string | null }>(
      `WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
         AND (@hash IS NULL OR hash = @hash)
       ORDER BY id`,
    ),
    unfinished: trials<[]>(`WHERE ${UNFINISHED} ORDER BY id`),
    finishedAfter: trials<[number]>(
      'WHERE finish_order IS NOT NULL AND finish_order > ? ORDER BY finish_order',
    ),
    finishedHash: trials<[string]>(
      `WHERE hash = ? AND finish_order IS NOT NULL
       ORDER BY status = 'succeeded' DESC, finish_order DESC LIMIT 1`,
    ),
    // Without ANALYZE statistics the planner prefers the status index and sorts every success.
    best: db.prepare<[], TrialRow>(
      `SELECT * FROM trials INDEXED BY trials_by_reward
       WHERE status = 'succeeded' AND reward IS NOT NULL ORDER BY reward DESC, finish_order`,
    ),
    recentFailures: trials<[number]>(`WHERE status = 'failed' ORDER BY finish_order DESC LIMIT ?`),
  };
}

/** The statements that read the run as a whole: config, counts, curve, span, snapshots. */
function runQueries(db: Database.Database) {
  return {
    run: db.prepare<[], RunRow>('SELECT schema_version, config, created_at FROM run WHERE id = 1'),
    updateConfig: db.prepare<[string]>('UPDATE run SET config = ? WHERE id = 1'),
    counts: db.prepare<[], { status: string; n: number }>('SELECT status, n FROM trial_counts'),
    rewardCurve: db.prepare<[], { finish_order: number; status: string; reward: number | null }>(
      `SELECT finish_order, status, reward FROM trials
       WHERE finish_order IS NOT NULL ORDER BY finish_order`,
    ),
    // The first trial queued and the last one finished, found through the primary key and the
    // finish-order index rather than by scanning every trial.
    span: db.prepare<[], { first: number | null; last: number | null }>(
      `SELECT (SELECT created_at FROM trials ORDER BY id LIMIT 1) AS first,
         (SELECT finished_at FROM trials WHERE finish_order IS NOT NULL
          ORDER BY finish_order DESC LIMIT 1) AS last`,
    ),
    latestSnapshot: db.prepare<
      [],
      { finished_trials: number; snapshot: string; created_at: number }
    >('SELECT finished_trials, snapshot, created_at FROM snapshots ORDER BY id DESC LIMIT 1'),
  };
}
