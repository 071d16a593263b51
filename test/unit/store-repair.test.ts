/**
 * `nas-ctl doctor --repair` keeps what a run holds: a finished trial whose only defect is a lost
 * finish order keeps its reward and result (it is not run again), a re-queued trial loses its old
 * epochs, and nothing is repaired while a search (a second real SQLite connection) uses the run.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { openRunStore, RUN_FILE, RunInUseError } from '../../controller/store/index.ts';
import { repairRun } from '../../controller/store/run-doctor.ts';
import { driveToEnd, finishedRun, loopOver } from '../fixtures/finished-run.ts';

const TRIALS = 10;

/** Runs SQL on the run's database with constraint checks off, as a damaged file would read. */
function damage(dir: string, sql: string): void {
  const db = new Database(join(dir, RUN_FILE));
  try {
    db.pragma('ignore_check_constraints = 1');
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Resumes the run in `dir` as a search does and runs it to the end; returns the trials dispatched. */
function resumeToEnd(dir: string): number[] {
  const store = openRunStore(dir);
  try {
    const strategy = restoreStrategy(defaultStrategyConfig('random', 1), DEFAULT_SPACE, store);
    return driveToEnd(loopOver(store, strategy, TRIALS));
  } finally {
    store.close();
  }
}

function epochCount(file: string, id: number): number {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM epochs WHERE trial_id = ?')
      .get(id);
    return row?.n ?? 0;
  } finally {
    db.close();
  }
}

describe('nas-ctl doctor --repair keeps stored results', () => {
  it('restores the lost finish order of a finished trial instead of running it again', () => {
    const dir = finishedRun(TRIALS);
    const before = openRunStore(dir, { readonly: true });
    const trial = before.trial(6);
    before.close();
    damage(dir, 'UPDATE trials SET finish_order = NULL WHERE id = 6');
    const report = repairRun(dir);
    expect(report.repaired.map((p) => p.repair?.kind)).toEqual(['restore-finish-order']);
    expect(report.left).toEqual([]);
    expect(resumeToEnd(dir)).toEqual([]);
    const after = openRunStore(dir, { readonly: true });
    expect(after.trial(6)).toEqual(trial);
    expect(after.epochs(6)).toHaveLength(2);
    after.close();
  });

  it('deletes the epochs of a trial it re-queues, so a re-run never mixes with them', () => {
    const dir = finishedRun(TRIALS);
    expect(epochCount(join(dir, RUN_FILE), 6)).toBe(2);
    damage(dir, "UPDATE trials SET status = 'done' WHERE id = 6");
    expect(repairRun(dir).repaired.map((p) => p.repair?.kind)).toEqual(['requeue']);
    expect(epochCount(join(dir, RUN_FILE), 6)).toBe(0);
  });
});

describe('nas-ctl doctor --repair on a run in use', () => {
  const BAD_STATUS = "UPDATE trials SET status = 'done' WHERE id = 6";

  it('refuses while a search holds the run open, and repairs it once the search ended', () => {
    const dir = finishedRun(TRIALS);
    // A search holds its store open from start to end, idle between writes.
    const search = openRunStore(dir);
    damage(dir, BAD_STATUS);
    expect(() => repairRun(dir)).toThrow(new RunInUseError(dir).message);
    search.close();
    expect(repairRun(dir).left).toEqual([]);
  });

  it('refuses while another connection holds a write transaction, changing nothing', () => {
    const dir = finishedRun(TRIALS);
    damage(dir, BAD_STATUS);
    const writer = new Database(join(dir, RUN_FILE));
    writer.exec('BEGIN IMMEDIATE');
    writer.exec("UPDATE trials SET reason = 'writing' WHERE id = 1");
    try {
      expect(() => repairRun(dir)).toThrow(RunInUseError);
    } finally {
      writer.exec('COMMIT');
      writer.close();
    }
    const db = new Database(join(dir, RUN_FILE), { readonly: true });
    const row = db.prepare<[], { status: string }>('SELECT status FROM trials WHERE id = 6').get();
    db.close();
    expect(row?.status).toBe('done');
  });

  it('makes a backup that holds every trial of the run as it was', () => {
    const dir = finishedRun(TRIALS);
    damage(dir, BAD_STATUS);
    const report = repairRun(dir);
    const backup = new Database(report.backup ?? '', { readonly: true });
    const rows = backup
      .prepare<[], { id: number; status: string }>('SELECT id, status FROM trials ORDER BY id')
      .all();
    backup.close();
    expect(rows).toHaveLength(TRIALS);
    expect(rows[5]).toEqual({ id: 6, status: 'done' });
  });
});
