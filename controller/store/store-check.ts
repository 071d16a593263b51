/**
 * Checks a whole run database: the schema first, then the rows of every table that is whole enough
 * to read. `openRunStore` refuses a run with any problem; `nas-ctl doctor` lists and repairs them.
 */
import type Database from 'better-sqlite3';
import {
  checkConfig,
  checkCounts,
  checkJournal,
  checkRewards,
  checkSuspectTrials,
  checkTrials,
} from './row-check.ts';
import { checkJournalDuplicates, checkTrialDuplicates } from './duplicate-check.ts';
import { GenotypeReader } from './genotype-reader.ts';
import { checkSchema } from './schema-check.ts';
import { checkSnapshot } from './snapshot-check.ts';
import type { StoreProblem } from './store-problem.ts';

/**
 * How much to check:
 *   - `read` (the report commands): the schema, the config, the counts, the journal, the latest
 *     snapshot's JSON, what SQL finds wrong in the trials without parsing genotypes (see
 *     {@link checkSuspectTrials}) and rewards no trainer could have earned ({@link checkRewards});
 *     the store checks each trial row in full where it reads it;
 *   - `resume`: every trial row in full as well, before a search writes anything, and what two
 *     searches on the run at once left (a candidate asked, told or queued twice);
 *   - `doctor`: that, and the latest snapshot parsed as a resume will.
 */
export type CheckLevel = 'read' | 'resume' | 'doctor';

/** What a check found, and the genotypes it parsed (null at level `read`) for the store to reuse. */
export interface RunCheck {
  readonly problems: StoreProblem[];
  readonly genotypes: GenotypeReader | null;
}

/** Every problem of the run database `db` of run directory `dir`, read in one read transaction. */
export function checkRunDatabase(db: Database.Database, dir: string, level: CheckLevel): RunCheck {
  // One read transaction: a search writing the run meanwhile cannot make counts and trials disagree.
  return db.transaction(() => checkAll(db, dir, level))();
}

function checkAll(db: Database.Database, dir: string, level: CheckLevel): RunCheck {
  const problems = checkSchema(db);
  const found = (genotypes: GenotypeReader | null = null): RunCheck => ({ problems, genotypes });
  // A table is readable when it exists with every column the code uses.
  const readable = (table: string): boolean =>
    !problems.some((p) => p.table === table && p.row === null);
  if (!readable('run')) return found();
  const config = checkConfig(db, dir);
  if ('why' in config) return { problems: [...problems, config], genotypes: null };
  const journal =
    readable('strategy_journal') &&
    db
      .prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'strategy_journal'",
      )
      .get()?.n === 1;
  if (!readable('trials')) return found();
  const genotypes = level === 'read' ? null : new GenotypeReader(config.space);
  problems.push(
    ...(genotypes === null ? checkSuspectTrials(db, config.space) : checkTrials(db, genotypes)),
    ...checkRewards(db),
  );
  if (readable('trial_counts')) problems.push(...checkCounts(db));
  if (journal) problems.push(...checkJournal(db));
  if (level !== 'read') {
    problems.push(...checkTrialDuplicates(db));
    if (journal) problems.push(...checkJournalDuplicates(db));
  }
  const deep = level === 'doctor';
  if (readable('snapshots')) problems.push(...checkSnapshot(db, config, { journal, deep }));
  return found(genotypes);
}
