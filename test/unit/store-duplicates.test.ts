/**
 * What two searches of one run at once left behind before the run lease (a candidate asked, told
 * and queued twice): `nas-ctl doctor` names every repeat with its place, a resume refuses the run,
 * and `--repair` keeps the first of each so that the run resumes exactly, over real SQLite files.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genotypeHash } from '../../shared/canonical.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import type { LoopCommand, SearchLoop } from '../../controller/search/search-loop.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { createStrategy, defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { createRunStore, openRunStore, RUN_FILE } from '../../controller/store/index.ts';
import { diagnoseRun, repairRun } from '../../controller/store/run-doctor.ts';
import { formatProblem } from '../../controller/store/store-problem.ts';
import {
  accuracyOf,
  driveToEnd,
  FINISHED_RUN_CONFIG,
  finishedRun,
  loopOver,
} from '../fixtures/finished-run.ts';
import { fabricatedResult } from '../fixtures/run-store-fixtures.ts';

const RANDOM = defaultStrategyConfig('random', 1);
const BUDGET = 12;
const CAUSE = 'two searches wrote this run at once';

/** Ends the oldest trial `loop` has in flight with a success; true once the loop completed. */
function step(loop: SearchLoop): boolean {
  const [next] = loop.inFlightTrials();
  if (next === undefined) return true;
  return completes(
    loop.trialEnded(next, { kind: 'result', result: fabricatedResult(accuracyOf(next)) }),
  );
}

function completes(commands: readonly LoopCommand[]): boolean {
  return commands.some((c) => c.kind === 'complete');
}

/**
 * The race of issue #20 without processes: a search runs, a second resumes the run while it does
 * (its own connection, strategy restored from the journal), and the two take turns until each ends.
 */
function racedRun(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-raced-')), 'run');
  const store = createRunStore(dir, FINISHED_RUN_CONFIG);
  const first = {
    loop: loopOver(store, createStrategy(RANDOM, DEFAULT_SPACE), BUDGET),
    done: false,
  };
  first.done = completes(first.loop.start());
  for (let i = 0; i < 3; i++) first.done = step(first.loop);
  const other = openRunStore(dir);
  const second = {
    loop: loopOver(other, restoreStrategy(RANDOM, DEFAULT_SPACE, other), BUDGET),
    done: false,
  };
  second.done = completes(second.loop.start());
  while (!first.done || !second.done) {
    if (!first.done) first.done = step(first.loop);
    if (!second.done) second.done = step(second.loop);
  }
  store.close();
  other.close();
  return dir;
}

/** Rows of the run's database, read with plain SQL. */
function rows<T>(dir: string, sql: string): T[] {
  const db = new Database(join(dir, RUN_FILE), { readonly: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

/** Resumes the run in `dir` as a search does and runs it to `budget` trials. */
function resumeTo(dir: string, budget: number): void {
  const store = openRunStore(dir);
  try {
    driveToEnd(loopOver(store, restoreStrategy(RANDOM, DEFAULT_SPACE, store), budget));
  } finally {
    store.close();
  }
}

/**
 * A run is whole: each candidate asked once and told at most once (asked 1, 2, 3, ... in order),
 * queued as one trial whose genotype is the one the strategy draws for it (random search from seed
 * 1), told that trial's reward, and the finished trials numbered 1 .. n.
 */
function expectWhole(dir: string, trials: number): void {
  const journal = rows<{ kind: string; candidateId: number; reward: number | null }>(
    dir,
    'SELECT kind, candidate_id AS candidateId, reward FROM strategy_journal ORDER BY seq',
  );
  const asks = journal.filter((e) => e.kind === 'ask').map((e) => e.candidateId);
  expect(asks).toEqual(Array.from({ length: trials }, (_, i) => i + 1));
  const tells = journal.filter((e) => e.kind === 'tell');
  expect(new Set(tells.map((e) => e.candidateId)).size).toBe(tells.length);
  const stored = rows<{ candidateId: number; hash: string; reward: number; order: number }>(
    dir,
    'SELECT candidate_id AS candidateId, hash, reward, finish_order AS "order" FROM trials ORDER BY candidate_id',
  );
  const fresh = createStrategy(RANDOM, DEFAULT_SPACE);
  expect(stored.map((t) => t.hash)).toEqual(stored.map(() => genotypeHash(fresh.ask().genotype)));
  expect(stored.map((t) => t.candidateId)).toEqual(asks);
  const told = new Map(tells.map((e) => [e.candidateId, e.reward]));
  for (const t of stored) expect(told.get(t.candidateId)).toBe(t.reward);
  expect(stored.map((t) => t.order).sort((x, y) => x - y)).toEqual(
    Array.from({ length: trials }, (_, i) => i + 1),
  );
}

describe('nas-ctl doctor on a run two searches wrote at once', () => {
  it('names each repeated ask, tell and trial; a resume refuses the run; --repair makes it whole', () => {
    const dir = racedRun();
    const found = diagnoseRun(dir);
    const whys = found.map((p) => p.why);
    expect(whys.filter((w) => / asked again /.test(w)).length).toBeGreaterThan(0);
    expect(whys.filter((w) => / told again /.test(w)).length).toBeGreaterThan(0);
    expect(found.filter((p) => p.table === 'trials').length).toBeGreaterThan(0);
    // Every trial of a candidate but one is a problem.
    const extra = rows<{ n: number }>(
      dir,
      'SELECT COUNT(*) - COUNT(DISTINCT candidate_id) AS n FROM trials',
    )[0]?.n;
    expect(found.filter((p) => p.table === 'trials')).toHaveLength(extra ?? -1);
    expect(() => openRunStore(dir).close()).toThrow(
      new RegExp(`: cannot read table trials, trial \\d+, field candidate_id: .*; ${CAUSE} \\(and`),
    );
    const report = repairRun(dir);
    expect(report.repaired).toHaveLength(found.length);
    expect(report.left).toEqual([]);
    expect(rows(dir, 'SELECT * FROM snapshots')).toEqual([]);
    expectWhole(dir, rows<{ n: number }>(dir, 'SELECT COUNT(*) AS n FROM trials')[0]?.n ?? -1);
    resumeTo(dir, BUDGET + 4);
    expectWhole(dir, BUDGET + 4);
    expect(diagnoseRun(dir)).toEqual([]);
  });

  it('places each repeat written into a finished run by hand, and moves them aside', () => {
    const dir = finishedRun(6);
    const seqOf = (kind: string): number =>
      rows<{ seq: number }>(
        dir,
        `SELECT seq FROM strategy_journal WHERE candidate_id = 3 AND kind = '${kind}'`,
      )[0]?.seq ?? -1;
    const [ask, tell] = [seqOf('ask'), seqOf('tell')];
    const db = new Database(join(dir, RUN_FILE));
    // What the second search wrote: its own trial of candidate 3, finished later, its ask and tell.
    db.exec(`INSERT INTO trials (candidate_id, genotype, hash, meta, status, attempts, trainer,
        reward, reason, result, created_at, started_at, finished_at, finish_order)
      SELECT candidate_id, genotype, hash, meta, status, attempts, trainer, 0.01, reason, result,
        created_at, started_at, finished_at, 7 FROM trials WHERE id = 3;
      INSERT INTO strategy_journal (kind, candidate_id, reward) VALUES ('ask', 3, NULL), ('tell', 3, 0.01);`);
    db.close();
    expect(diagnoseRun(dir).map(formatProblem)).toEqual([
      `table trials, trial 7, field candidate_id: candidate 3 has trial 3 too, which finished first and is kept; ${CAUSE} [repair: moved to table damaged_trials, the kept trial stands for the candidate]`,
      `table strategy_journal, journal seq 13, field candidate_id: candidate 3 asked again (first at journal seq ${ask}); ${CAUSE} [repair: moved to table damaged_journal, the first entry kept, snapshots dropped]`,
      `table strategy_journal, journal seq 14, field candidate_id: candidate 3 told again (first at journal seq ${tell}); ${CAUSE} [repair: moved to table damaged_journal, the first entry kept, snapshots dropped]`,
    ]);
    expect(repairRun(dir).left).toEqual([]);
    expect(rows(dir, 'SELECT id FROM damaged_trials')).toEqual([{ id: 7 }]);
    expect(rows(dir, 'SELECT seq, kind FROM damaged_journal ORDER BY seq')).toEqual([
      { seq: 13, kind: 'ask' },
      { seq: 14, kind: 'tell' },
    ]);
    expectWhole(dir, 6);
    resumeTo(dir, 8);
    expectWhole(dir, 8);
  });
});
