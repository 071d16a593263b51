/**
 * The strategy journal: every ask and tell of a run, in order, in its own table of `run.sqlite`,
 * written on the run store's connection so that a journal entry and the trial change it belongs to
 * commit together. A strategy snapshot records the journal position it reflects, so a resumed search
 * restores the snapshot and replays the entries after it: the strategy continues exactly where the
 * crashed or stopped one was, and asks again for nothing it already asked for.
 */
import type Database from 'better-sqlite3';

/** One journal entry. */
export type JournalEntry =
  | { readonly seq: number; readonly kind: 'ask'; readonly candidateId: number }
  | {
      readonly seq: number;
      readonly kind: 'tell';
      readonly candidateId: number;
      readonly reward: number | null;
    };

/** The journal table; runs created before it was part of the schema get it when opened for writing. */
export const JOURNAL_DDL =
  'CREATE TABLE IF NOT EXISTS strategy_journal (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, candidate_id INTEGER NOT NULL, reward REAL)';

interface JournalRow {
  seq: number;
  kind: string;
  candidateId: number;
  reward: number | null;
}

/** Appends and reads the journal of one run; statements are prepared on first use. */
export class StrategyJournal {
  private sql:
    | {
        insert: Database.Statement<[string, number, number | null]>;
        after: Database.Statement<[number], JournalRow>;
        last: Database.Statement<[], { seq: number }>;
        toldAmong: Database.Statement<[string], { candidateId: number }>;
      }
    | undefined;

  /** `write` runs each entry's insert: the store folds it into its current transaction. */
  constructor(
    private readonly db: Database.Database,
    private readonly write: <T>(work: () => T) => T = (work) => work(),
  ) {}

  /** Records an ask; returns its sequence number. */
  asked(candidateId: number): number {
    const info = this.write(() => this.statements().insert.run('ask', candidateId, null));
    return Number(info.lastInsertRowid);
  }

  /** Records a tell; returns its sequence number. */
  told(candidateId: number, reward: number | null): number {
    const info = this.write(() => this.statements().insert.run('tell', candidateId, reward));
    return Number(info.lastInsertRowid);
  }

  /** The entries after `seq`, in order. */
  entriesAfter(seq: number): JournalEntry[] {
    return this.statements()
      .after.all(seq)
      .map((r) =>
        r.kind === 'ask'
          ? { seq: r.seq, kind: 'ask', candidateId: r.candidateId }
          : { seq: r.seq, kind: 'tell', candidateId: r.candidateId, reward: r.reward },
      );
  }

  /** Which of `candidateIds` the journal has told a result of (a resume must not tell them again). */
  toldAmong(candidateIds: readonly number[]): Set<number> {
    if (candidateIds.length === 0) return new Set();
    const rows = this.statements().toldAmong.all(JSON.stringify(candidateIds));
    return new Set(rows.map((r) => r.candidateId));
  }

  /** The sequence number of the latest entry (0 when empty). */
  position(): number {
    return this.statements().last.get()?.seq ?? 0;
  }

  private statements(): NonNullable<StrategyJournal['sql']> {
    this.sql ??= {
      insert: this.db.prepare(
        'INSERT INTO strategy_journal (kind, candidate_id, reward) VALUES (?, ?, ?)',
      ),
      after: this.db.prepare(
        'SELECT seq, kind, candidate_id AS candidateId, reward FROM strategy_journal WHERE seq > ? ORDER BY seq',
      ),
      last: this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM strategy_journal'),
      toldAmong: this.db.prepare(
        `SELECT DISTINCT candidate_id AS candidateId FROM strategy_journal
         WHERE kind = 'tell' AND candidate_id IN (SELECT value FROM json_each(?))`,
      ),
    };
    return this.sql;
  }
}
