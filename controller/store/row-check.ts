/**
 * Checks the rows a run's readers use: the run config, every trial (genotype against the run's
 * search space, meta, status with its finish order, result), the trial counts, and the strategy
 * journal. Each problem names its table, row and field.
 */
import type Database from 'better-sqlite3';
import type { SearchSpace } from '../../shared/search-space.ts';
import { CorruptRunError } from './errors.ts';
import { GenotypeReader } from './genotype-reader.ts';
import type { StoredRunConfig } from './records.ts';
import {
  decodeConfig,
  decodeState,
  parseSummaryJson,
  whyOf,
  type RunRow,
  type TrialRow,
} from './row-codec.ts';
import type { Repair, StoreProblem } from './store-problem.ts';
import { TRIAL_STATES } from './schema.ts';

/** The statuses of a finished trial, which has a finish order. */
const FINAL_STATES = TRIAL_STATES.filter((s) => s !== 'queued' && s !== 'running');

/** The run config, or the problem that it does not read back (nothing else can be checked then). */
export function checkConfig(db: Database.Database, dir: string): StoredRunConfig | StoreProblem {
  const row = db
    .prepare<[], RunRow>('SELECT schema_version, config, created_at FROM run WHERE id = 1')
    .get();
  const place = { table: 'run', row: 'the run row', field: 'config', repair: null };
  if (row === undefined) return { ...place, why: 'the run row is missing' };
  try {
    return decodeConfig(dir, row);
  } catch (err) {
    return { ...place, why: err instanceof CorruptRunError ? err.why : whyOf(err) };
  }
}

/**
 * Every trial's problems, in id order, each row parsed as the store reads it. The genotypes are
 * parsed by (and kept in) `genotypes`, so the store that opens next reads them without parsing.
 */
export function checkTrials(db: Database.Database, genotypes: GenotypeReader): StoreProblem[] {
  const problems: StoreProblem[] = [];
  for (const row of db.prepare<[], TrialRow>('SELECT * FROM trials ORDER BY id').iterate())
    problems.push(...trialProblems(row, genotypes));
  return problems;
}

/**
 * The problems of the trials SQL finds suspect without parsing a genotype: JSON that is not
 * well-formed, a status outside the schema's or disagreeing with the finish order. What this
 * misses (a well-formed genotype outside the run's space, a result of the wrong shape) the store
 * reports where it reads the row, with the same table, row and field.
 */
export function checkSuspectTrials(db: Database.Database, space: SearchSpace): StoreProblem[] {
  const unfinished = "status IN ('queued', 'running')";
  const states = TRIAL_STATES.map((s) => `'${s}'`).join(', ');
  const rows = db
    .prepare<[], TrialRow>(
      `SELECT * FROM trials
       WHERE NOT json_valid(genotype) OR NOT json_valid(meta)
         OR (result IS NOT NULL AND NOT json_valid(result))
         OR status NOT IN (${states}) OR (finish_order IS NULL) <> (${unfinished})
       ORDER BY id`,
    )
    .all();
  const genotypes = new GenotypeReader(space);
  return rows.flatMap((row) => trialProblems(row, genotypes));
}

function trialProblems(row: TrialRow, genotypes: GenotypeReader): StoreProblem[] {
  const id = row.id;
  const found: StoreProblem[] = [];
  const check = (field: keyof TrialRow, repair: Repair, read: () => unknown): boolean => {
    try {
      read();
      return true;
    } catch (err) {
      found.push({ table: 'trials', row: `trial ${id}`, field, why: whyOf(err), repair });
      return false;
    }
  };
  // A trial whose genotype is unreadable cannot run again: its other fields do not matter.
  const genotype = (): unknown => genotypes.read(row.genotype, true);
  if (!check('genotype', { kind: 'quarantine', trialId: id }, genotype)) return found;
  check('status', statusRepair(row), () => decodeState(row));
  check('meta', { kind: 'clear-field', trialId: id, field: 'meta' }, () => JSON.parse(row.meta));
  if (row.result !== null) {
    const result = row.result;
    check('result', { kind: 'clear-field', trialId: id, field: 'result' }, () =>
      parseSummaryJson(result),
    );
  }
  return found;
}

/**
 * A finished trial (final status) that only lost its finish order keeps its reward and result: it
 * gets a finish order back. Any other bad status is re-queued (the trial runs again).
 */
function statusRepair(row: TrialRow): Repair {
  const final = FINAL_STATES.some((s) => s === row.status);
  return final && row.finish_order === null
    ? { kind: 'restore-finish-order', trialId: row.id }
    : { kind: 'requeue', trialId: row.id };
}

/** Whether `trial_counts` holds the number of trials in each status (its triggers keep it so). */
export function checkCounts(db: Database.Database): StoreProblem[] {
  const stored = new Map(
    db
      .prepare<[], { status: string; n: number }>('SELECT status, n FROM trial_counts')
      .all()
      .map((r) => [r.status, r.n]),
  );
  const actual = new Map(
    db
      .prepare<[], { status: string; n: number }>(
        'SELECT status, COUNT(*) AS n FROM trials GROUP BY status',
      )
      .all()
      .map((r) => [r.status, r.n]),
  );
  return TRIAL_STATES.flatMap((status) => {
    const has = stored.get(status);
    const n = actual.get(status) ?? 0;
    if (has === n) return [];
    const why = `holds ${has ?? 'no row'} for status ${status}, but ${n} trials have it`;
    return [{ table: 'trial_counts', row: status, field: 'n', why, repair: { kind: 'rebuild' } }];
  });
}

/** Journal rows the replay would misread: an unknown kind, a candidate id or reward of the wrong type. */
export function checkJournal(db: Database.Database): StoreProblem[] {
  const rows = db
    .prepare<[], { seq: number; kind: unknown; c: string; r: string }>(
      `SELECT seq, kind, typeof(candidate_id) AS c, typeof(reward) AS r FROM strategy_journal
       WHERE kind NOT IN ('ask', 'tell') OR typeof(candidate_id) <> 'integer'
         OR typeof(reward) NOT IN ('null', 'real', 'integer') ORDER BY seq`,
    )
    .all();
  return rows.map((row) => {
    const [field, why] =
      row.kind !== 'ask' && row.kind !== 'tell'
        ? ['kind', `${JSON.stringify(row.kind)}; allowed: ask, tell`]
        : row.c !== 'integer'
          ? ['candidate_id', `a ${row.c} value; allowed: an integer`]
          : ['reward', `a ${row.r} value; allowed: a number or null`];
    return { table: 'strategy_journal', row: `journal seq ${row.seq}`, field, why, repair: null };
  });
}

/**
 * Trials whose reward no trainer could honestly have earned, as older runs (before the controller
 * checked what trainers send) may hold them: a reward outside [0, 1] (an accuracy of 5), or a
 * succeeded trial without one (a NaN accuracy: SQLite stores NaN as NULL, and a search always holds
 * out a validation split, so every succeeded trial has a reward). Repaired by failing the trial.
 */
export function checkRewards(db: Database.Database): StoreProblem[] {
  const rows = db
    .prepare<[], { id: number; status: string; reward: number | null }>(
      `SELECT id, status, reward FROM trials
       WHERE (reward IS NOT NULL AND NOT (reward >= 0 AND reward <= 1))
         OR (status = 'succeeded' AND reward IS NULL)
       ORDER BY id`,
    )
    .all();
  return rows.map(({ id, reward }) => ({
    table: 'trials',
    row: `trial ${id}`,
    field: 'reward',
    why:
      reward === null
        ? 'a succeeded trial without a reward (its trainer sent no finite validation accuracy)'
        : `${reward} is not in [0, 1] (a reward is a validation accuracy)`,
    repair: { kind: 'fail-trial', trialId: id },
  }));
}
