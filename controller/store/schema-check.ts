/**
 * Checks a run database's schema against what the code uses: every table, index and trigger of
 * {@link SCHEMA_OBJECTS}, the columns of {@link SCHEMA_COLUMNS}, and the stored schema version.
 */
import type Database from 'better-sqlite3';
import { SCHEMA_COLUMNS, SCHEMA_OBJECTS, SCHEMA_VERSION } from './schema.ts';
import type { StoreProblem } from './store-problem.ts';

/** Tables whose data nothing else holds: when one is missing, no repair can bring the run back. */
const ESSENTIAL: ReadonlySet<string> = new Set(['run', 'trials']);

/** The schema's problems; an empty list when every object and column the code uses is there. */
export function checkSchema(db: Database.Database): StoreProblem[] {
  const present = new Map(
    db
      .prepare<[], { name: string; type: string }>('SELECT name, type FROM sqlite_master')
      .all()
      .map((r) => [r.name, r.type]),
  );
  const problems: StoreProblem[] = [];
  for (const [name, ddl] of Object.entries(SCHEMA_OBJECTS)) {
    if (present.has(name)) continue;
    const kind = kindOf(ddl);
    problems.push({
      table: kind === 'table' ? name : 'trials',
      row: null,
      field: null,
      why: `${kind} ${name} is missing`,
      repair: ESSENTIAL.has(name) ? null : { kind: 'rebuild' },
    });
  }
  for (const [table, columns] of Object.entries(SCHEMA_COLUMNS)) {
    if (present.get(table) !== 'table') continue;
    const have = new Set(
      db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((c) => c.name),
    );
    for (const column of columns.filter((c) => !have.has(c)))
      problems.push({ table, row: null, field: column, why: 'column is missing', repair: null });
  }
  if (!problems.some((p) => p.table === 'run')) problems.push(...checkVersion(db));
  return problems;
}

/** The stored schema version: an integer from 1 to {@link SCHEMA_VERSION} (newer ones are refused before). */
function checkVersion(db: Database.Database): StoreProblem[] {
  const row = db
    .prepare<[], { v: unknown }>('SELECT schema_version AS v FROM run WHERE id = 1')
    .get();
  const v = row?.v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= SCHEMA_VERSION) return [];
  return [
    {
      table: 'run',
      row: 'the run row',
      field: 'schema_version',
      why: `${row === undefined ? 'no run row' : JSON.stringify(v)}; allowed: an integer from 1 to ${SCHEMA_VERSION}`,
      repair: null,
    },
  ];
}

/** `table`, `index` or `trigger`, from an object's DDL (indexes and triggers are on `trials`). */
function kindOf(ddl: string): string {
  return /^CREATE (\w+)/.exec(ddl)?.[1]?.toLowerCase() ?? 'object';
}
