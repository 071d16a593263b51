/**
 * Where `nas-ctl doctor --repair` puts the rows it takes out of a run, so that nothing readable is
 * deleted: trials (each row and its epochs as JSON) in `damaged_trials`, journal entries in
 * `damaged_journal`, each with the problem found and when it was moved.
 */
import type Database from 'better-sqlite3';

const DAMAGED_TRIALS_DDL = `CREATE TABLE IF NOT EXISTS damaged_trials (
  id INTEGER PRIMARY KEY, trial TEXT NOT NULL, epochs TEXT NOT NULL, problem TEXT NOT NULL,
  moved_at INTEGER NOT NULL) STRICT`;

const DAMAGED_JOURNAL_DDL = `CREATE TABLE IF NOT EXISTS damaged_journal (
  seq INTEGER PRIMARY KEY, kind TEXT, candidate_id ANY, reward ANY, problem TEXT NOT NULL,
  moved_at INTEGER NOT NULL) STRICT`;

/**
 * Moves trial `id` and its epochs to `damaged_trials`; returns its candidate id, or null when the
 * trial is not there (an earlier repair moved it).
 */
export function moveTrial(
  db: Database.Database,
  id: number,
  problem: string,
  now: number,
): number | null {
  db.exec(DAMAGED_TRIALS_DDL);
  const row = db
    .prepare<[number], { candidate_id: number }>('SELECT candidate_id FROM trials WHERE id = ?')
    .get(id);
  if (row === undefined) return null;
  db.prepare<[string, number, number]>(
    `INSERT INTO damaged_trials (id, trial, epochs, problem, moved_at)
     SELECT id, json_object('id', id, 'candidate_id', candidate_id, 'genotype', genotype,
         'hash', hash, 'meta', meta, 'status', status, 'attempts', attempts, 'trainer', trainer,
         'reward', reward, 'reason', reason, 'result', result, 'created_at', created_at,
         'started_at', started_at, 'finished_at', finished_at, 'finish_order', finish_order),
       (SELECT json_group_array(json_array(epoch, train_loss, train_accuracy, validation_loss,
          validation_accuracy, learning_rate, seconds, images_per_second))
        FROM epochs WHERE trial_id = trials.id),
       ?, ? FROM trials WHERE id = ?`,
  ).run(problem, now, id);
  db.prepare<[number]>('DELETE FROM epochs WHERE trial_id = ?').run(id);
  db.prepare<[number]>('DELETE FROM trials WHERE id = ?').run(id);
  return row.candidate_id;
}

/** Moves the strategy journal entry `seq` to `damaged_journal`. */
export function moveJournalEntry(
  db: Database.Database,
  seq: number,
  problem: string,
  now: number,
): void {
  db.exec(DAMAGED_JOURNAL_DDL);
  db.prepare<[string, number, number]>(
    `INSERT INTO damaged_journal (seq, kind, candidate_id, reward, problem, moved_at)
     SELECT seq, kind, candidate_id, reward, ?, ? FROM strategy_journal WHERE seq = ?`,
  ).run(problem, now, seq);
  db.prepare<[number]>('DELETE FROM strategy_journal WHERE seq = ?').run(seq);
}
