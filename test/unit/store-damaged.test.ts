/**
 * Finding 8: damaged run stores. Opening a run checks its schema and every row it reads, and refuses
 * a damaged one with one line naming the run, table, row and field and pointing at `nas-ctl doctor`;
 * the doctor lists every problem and repairs what it can (a backup first), after which a resume
 * works. Runs are made by the real search loop over a real SQLite store, then damaged with SQL.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { CorruptRunError, openRunStore, RUN_FILE } from '../../controller/store/index.ts';
import { diagnoseRun, repairRun } from '../../controller/store/run-doctor.ts';
import { GenotypeReader } from '../../controller/store/genotype-reader.ts';
import { formatProblem } from '../../controller/store/store-problem.ts';
import { candidate } from '../fixtures/run-store-fixtures.ts';
import { driveToEnd, finishedRun, loopOver } from '../fixtures/finished-run.ts';

const TRIALS = 10;

function damage(dir: string, ...statements: string[]): void {
  const db = new Database(join(dir, RUN_FILE));
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}

/** The error opening the run in `dir` throws: read-only as the reports open it, else as a resume. */
function openError(dir: string, readonly = true): string {
  try {
    openRunStore(dir, { readonly }).close();
  } catch (err) {
    expect(err).toBeInstanceOf(CorruptRunError);
    return err instanceof Error ? err.message : '';
  }
  throw new Error('the damaged run opened');
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

const BAD_GENOTYPE = `UPDATE trials SET genotype = json_set(genotype, '$.normal.blocks[0].opA', 'sep_9x9') WHERE id = 4`;

describe('opening a damaged run', () => {
  it('names a dropped table, and the doctor recreates it so that the run resumes', () => {
    const dir = finishedRun(TRIALS);
    damage(dir, 'DROP TABLE snapshots');
    const message = openError(dir);
    expect(message).toBe(
      `${dir}: cannot read table snapshots: table snapshots is missing; ` +
        `run \`nas-ctl doctor ${dir}\` to list the problems and \`nas-ctl doctor --repair ${dir}\` to repair them`,
    );
    expect(diagnoseRun(dir).map(formatProblem)).toEqual([
      'table snapshots: table snapshots is missing [repair: recreated from the data]',
    ]);
    const report = repairRun(dir, () => Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(report.backup).toBe(join(dir, 'run.sqlite.bak-20250102T030405Z'));
    expect(existsSync(report.backup ?? '')).toBe(true);
    expect(report.left).toEqual([]);
    expect(resumeToEnd(dir)).toEqual([]);
  });

  it('names the trial and field of a corrupt genotype, a bad status and a bad journal row', () => {
    const dir = finishedRun(TRIALS);
    damage(
      dir,
      BAD_GENOTYPE,
      'PRAGMA ignore_check_constraints = 1',
      "UPDATE trials SET status = 'done' WHERE id = 6",
      "UPDATE strategy_journal SET kind = 'told' WHERE seq = 3",
    );
    expect(openError(dir, false)).toMatch(
      new RegExp(
        `^${dir}: cannot read table trials, trial 4, field genotype: .*opA: unknown op "sep_9x9".* \\(and 2 more problems\\); run \`nas-ctl doctor`,
      ),
    );
    expect(diagnoseRun(dir).map((p) => [p.table, p.row, p.field])).toEqual([
      ['trials', 'trial 4', 'genotype'],
      ['trials', 'trial 6', 'status'],
      ['strategy_journal', 'journal seq 3', 'kind'],
    ]);
  });
});

describe('opening a run read-only (the reports)', () => {
  it('finds bad JSON and statuses in SQL, and names a bad genotype where it is read', () => {
    const dir = finishedRun(TRIALS);
    damage(dir, BAD_GENOTYPE);
    // Parsing every genotype on each report's open would cost seconds on a long run.
    const store = openRunStore(dir, { readonly: true });
    try {
      expect(store.counts()).toMatchObject({ succeeded: TRIALS });
      expect(store.trial(3).status).toBe('succeeded');
      const where = `${dir}: cannot read table trials, trial 4, field genotype: `;
      const hint = `; run \`nas-ctl doctor ${dir}\` to list the problems`;
      for (const read of [() => store.trial(4), () => store.trials()]) {
        expect(read).toThrow(CorruptRunError);
        expect(read).toThrow(new RegExp(`^${where}.*unknown op "sep_9x9".*${hint}`));
      }
    } finally {
      store.close();
    }
    damage(dir, `UPDATE trials SET meta = '{"logProb": ' WHERE id = 2`);
    expect(openError(dir)).toMatch(
      new RegExp(`^${dir}: cannot read table trials, trial 2, field meta: `),
    );
  });
});

describe('reading genotypes', () => {
  it('hands out a genotype kept by the open check without parsing it again', () => {
    const reader = new GenotypeReader(DEFAULT_SPACE, 1);
    const [a, b] = [1, 2].map((i) => JSON.stringify(candidate(i).genotype));
    const kept = reader.read(a ?? '', true);
    reader.read(b ?? '', true);
    expect(reader.read(a ?? '')).toBe(kept);
  });
});

describe('nas-ctl doctor --repair', () => {
  it('moves a trial with a damaged genotype aside, and a resume runs the run to its limit', () => {
    const dir = finishedRun(TRIALS);
    damage(dir, BAD_GENOTYPE);
    const report = repairRun(dir);
    expect(report.repaired.map((p) => p.repair?.kind)).toEqual(['quarantine']);
    expect(report.left).toEqual([]);
    const db = new Database(join(dir, RUN_FILE), { readonly: true });
    const moved = db
      .prepare<[], { id: number; trial: string }>('SELECT id, trial FROM damaged_trials')
      .all();
    db.close();
    expect(moved.map((m) => m.id)).toEqual([4]);
    expect(moved[0]?.trial).toContain('sep_9x9');
    // Nine trials are left; the resume asks one new candidate to reach the limit of ten.
    expect(resumeToEnd(dir)).toEqual([TRIALS + 1]);
    const store = openRunStore(dir, { readonly: true });
    expect(store.counts()).toMatchObject({ succeeded: TRIALS, queued: 0 });
    store.close();
  });

  it('re-queues a trial with an invalid status, and the resume runs it again', () => {
    const dir = finishedRun(TRIALS);
    damage(
      dir,
      'PRAGMA ignore_check_constraints = 1',
      "UPDATE trials SET status = 'done' WHERE id = 6",
    );
    const report = repairRun(dir);
    expect(report.repaired.map((p) => p.repair?.kind)).toEqual(['requeue']);
    expect(report.left).toEqual([]);
    expect(resumeToEnd(dir)).toEqual([6]);
    const store = openRunStore(dir, { readonly: true });
    expect(store.counts()).toMatchObject({ succeeded: TRIALS, queued: 0 });
    expect(store.trial(6).attempts).toBe(2);
    store.close();
  });

  it('leaves a sound run alone and makes no backup', () => {
    const dir = finishedRun(3);
    expect(diagnoseRun(dir)).toEqual([]);
    expect(repairRun(dir)).toMatchObject({ found: [], repaired: [], backup: null, left: [] });
  });
});
