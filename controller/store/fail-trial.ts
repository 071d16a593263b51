/**
 * The `fail-trial` repair of `nas-ctl doctor --repair`: a finished trial whose stored reward no
 * trainer could have earned (row-check.ts {@link checkRewards}) is marked failed, as the controller
 * now fails a result whose numbers cannot be true, and the strategy's journal is told so.
 */
import type Database from 'better-sqlite3';
import { formatProblem, type StoreProblem } from './store-problem.ts';

/**
 * Marks trial `id` failed without a reward, with the problem as its reason (keeping its finish
 * order, result and epochs to read), and sets the reward its candidate's tells gave the strategy
 * to null (a failure), so a resume replays it as failed. Returns whether the snapshots must go:
 * they hold a strategy that learned the old reward.
 */
export function failTrial(db: Database.Database, id: number, p: StoreProblem): boolean {
  const row = db
    .prepare<[number], { candidate_id: number }>('SELECT candidate_id FROM trials WHERE id = ?')
    .get(id);
  if (row === undefined) return false;
  db.prepare<[string, number]>(
    "UPDATE trials SET status = 'failed', reward = NULL, reason = ? WHERE id = ?",
  ).run(`failed by nas-ctl doctor: ${formatProblem(p)}`, id);
  db.prepare<[number]>(
    "UPDATE strategy_journal SET reward = NULL WHERE kind = 'tell' AND candidate_id = ?",
  ).run(row.candidate_id);
  return true;
}
