/**
 * Checks the run's latest strategy snapshot, the one a resume restores: JSON of the run's strategy
 * over its search space, not ahead of the strategy journal, and every candidate it holds pending
 * queued as a trial of the same genotype (else that candidate would never run again).
 */
import type Database from 'better-sqlite3';
import { genotypeHash } from '../../shared/canonical.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { STRATEGY_NAMES } from '../../shared/strategy-config.ts';
import { parseSearchSnapshot } from '../strategies/snapshot-parse.ts';
import type { StoredRunConfig } from './records.ts';
import { whyOf } from './row-codec.ts';
import type { StoreProblem } from './store-problem.ts';

/** Violations listed in one problem, at most; the rest are counted. */
const LISTED_VIOLATIONS = 3;

/**
 * The latest snapshot's problems (none when there is no snapshot). The store holds snapshots as
 * opaque JSON, so only `deep` (the doctor) parses them as the search will; `journal`: whether the
 * journal table exists.
 */
export function checkSnapshot(
  db: Database.Database,
  config: StoredRunConfig,
  options: { readonly journal: boolean; readonly deep: boolean },
): StoreProblem[] {
  const row = db
    .prepare<[], { id: number; snapshot: string }>(
      'SELECT id, snapshot FROM snapshots ORDER BY id DESC LIMIT 1',
    )
    .get();
  if (row === undefined) return [];
  const problem = (why: string): StoreProblem[] => [
    {
      table: 'snapshots',
      row: `the latest strategy snapshot (id ${row.id})`,
      field: 'snapshot',
      why,
      repair: { kind: 'drop-snapshots' },
    },
  ];
  let value: unknown;
  try {
    value = JSON.parse(row.snapshot);
  } catch (err) {
    return problem(whyOf(err));
  }
  if (!options.deep) return [];
  const name = STRATEGY_NAMES.find((n) => n === config.strategy);
  if (name === undefined) return problem(`the run's strategy "${config.strategy}" is not known`);
  let saved: ReturnType<typeof parseSearchSnapshot>;
  try {
    saved = parseSearchSnapshot(value, config.space, name);
  } catch (err) {
    return problem(err instanceof InvalidValueError ? listed(err) : whyOf(err));
  }
  const position = options.journal
    ? (db
        .prepare<[], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM strategy_journal')
        .get()?.seq ?? 0)
    : 0;
  if (saved.journalSeq > position)
    return problem(
      `it reflects journal entry ${saved.journalSeq}, but the journal ends at ${position}`,
    );
  const hashOf = db.prepare<[number], { hash: string }>(
    'SELECT hash FROM trials WHERE candidate_id = ? ORDER BY id DESC LIMIT 1',
  );
  const i = saved.strategy.pending.findIndex(
    (c) => hashOf.get(c.id)?.hash !== genotypeHash(c.genotype),
  );
  const lost = saved.strategy.pending[i];
  if (lost === undefined) return [];
  return problem(`strategy.pending[${i}]: pending candidate ${lost.id} has no trial in the run`);
}

function listed(err: InvalidValueError): string {
  const lines = err.violations
    .slice(0, LISTED_VIOLATIONS)
    .map((v) => `${v.path === '' ? '(root)' : v.path}: ${v.message}`);
  const more = err.violations.length - lines.length;
  if (more > 0) lines.push(`and ${more} more`);
  return lines.join('; ');
}
