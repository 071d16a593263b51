/**
 * `nas-ctl doctor` finds the rewards older runs stored from trainers the controller believed: a
 * reward of 5 (an accuracy of 5.0) or none at all on a succeeded trial (a NaN accuracy, which
 * SQLite stores as NULL). Each is a problem at table trials, the trial, field reward; `--repair`
 * marks the trial failed and tells the strategy's journal so, and the run resumes. The run is a
 * real SQLite file made by the store, damaged with SQL.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { openRunStore, RUN_FILE } from '../../controller/store/index.ts';
import { diagnoseRun, repairRun } from '../../controller/store/run-doctor.ts';
import { formatProblem } from '../../controller/store/store-problem.ts';
import { driveToEnd, finishedRun, loopOver } from '../fixtures/finished-run.ts';

const TRIALS = 10;

/**
 * Stores `reward` as trial `id`'s, and as what the journal told the strategy for its candidate,
 * bound as a number as the store binds it (NaN is stored as NULL).
 */
function storeReward(dir: string, id: number, reward: number): void {
  const db = new Database(join(dir, RUN_FILE));
  try {
    db.prepare('UPDATE trials SET reward = ? WHERE id = ?').run(reward, id);
    db.prepare(
      `UPDATE strategy_journal SET reward = ? WHERE kind = 'tell'
       AND candidate_id = (SELECT candidate_id FROM trials WHERE id = ?)`,
    ).run(reward, id);
  } finally {
    db.close();
  }
}

/** What the journal told the strategy about trial `id`'s candidate. */
function toldRewards(dir: string, id: number): (number | null)[] {
  const db = new Database(join(dir, RUN_FILE), { readonly: true });
  try {
    return db
      .prepare<[number], { reward: number | null }>(
        `SELECT reward FROM strategy_journal WHERE kind = 'tell'
         AND candidate_id = (SELECT candidate_id FROM trials WHERE id = ?)`,
      )
      .all(id)
      .map((r) => r.reward);
  } finally {
    db.close();
  }
}

describe('nas-ctl doctor on rewards no trainer could have earned', () => {
  it('finds a stored reward of 5 and a NaN one, each at its place', () => {
    const dir = finishedRun(TRIALS);
    storeReward(dir, 3, 5);
    storeReward(dir, 4, NaN);
    storeReward(dir, 5, -Infinity);
    const problems = diagnoseRun(dir);
    expect(problems.map((p) => [p.table, p.row, p.field, p.repair?.kind])).toEqual([
      ['trials', 'trial 3', 'reward', 'fail-trial'],
      ['trials', 'trial 4', 'reward', 'fail-trial'],
      ['trials', 'trial 5', 'reward', 'fail-trial'],
    ]);
    expect(formatProblem(problems[0] ?? expect.fail('no problem'))).toBe(
      'table trials, trial 3, field reward: 5 is not in [0, 1] (a reward is a validation accuracy) [repair: marked failed without a reward, counted as failed by the strategy]',
    );
    expect(problems[1]?.why).toMatch(/succeeded trial without a reward/);
    expect(problems[2]?.why).toMatch(/^-Infinity is not in \[0, 1\]/);
    // A run with such a trial is refused until repaired, like any damaged run.
    expect(() => openRunStore(dir, { readonly: true })).toThrow(/trial 3, field reward/);
  });

  it('finds nothing in a sound run', () => {
    expect(diagnoseRun(finishedRun(TRIALS))).toEqual([]);
  });

  it('--repair marks the trials failed, tells the journal, and the run resumes', () => {
    const dir = finishedRun(TRIALS);
    storeReward(dir, 3, 5);
    storeReward(dir, 4, NaN);
    const report = repairRun(dir);
    expect(report.repaired.map((p) => p.repair?.kind)).toEqual(['fail-trial', 'fail-trial']);
    expect(report.left).toEqual([]);
    expect(toldRewards(dir, 3)).toEqual([null]);
    const store = openRunStore(dir);
    try {
      const trial = store.trial(3);
      expect(trial).toMatchObject({ status: 'failed', reward: null });
      expect(trial.reason).toMatch(
        /^failed by nas-ctl doctor: table trials, trial 3, field reward/,
      );
      // Its result stays to read; only the reward it gave is gone.
      expect(trial.result).not.toBeNull();
      expect(store.trial(4)).toMatchObject({ status: 'failed', reward: null });
      expect(store.bestTrials(TRIALS).map((t) => t.id)).not.toContain(3);
      const strategy = restoreStrategy(defaultStrategyConfig('random', 1), DEFAULT_SPACE, store);
      expect(driveToEnd(loopOver(store, strategy, TRIALS))).toEqual([]);
    } finally {
      store.close();
    }
  });
});
