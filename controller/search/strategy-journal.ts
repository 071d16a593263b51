/**
 * The strategy journal: every ask and tell of a run, in order, beside the run store's tables in
 * `run.sqlite`. A strategy snapshot records the journal position it reflects, so a resumed search
 * restores the snapshot and replays the entries after it: the strategy continues exactly where the
 * crashed or stopped one was, and asks again for nothing it already asked for.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

/** One journal entry. */
export type JournalEntry =
  | { readonly seq: number; readonly kind: 'ask'; readonly candidateId: number }
  | {
      readonly seq: number;
      readonly kind: 'tell';
      readonly candidateId: number;
      readonly reward: number | null;
    };

/** Appends and reads the journal of one run directory. */
export class StrategyJournal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly after: Database.Statement;
  private readonly last: Database.Statement;

  constructor(runDir: string) {
    this.db = new Database(join(runDir, 'run.sqlite'), { timeout: 5_000 });
    this.db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL: a committed entry survives the process being killed (-9); only an
    // operating-system crash or power loss may drop the last entries, which a resume then re-asks.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS strategy_journal (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, candidate_id INTEGER NOT NULL, reward REAL)',
    );
    this.insert = this.db.prepare(
      'INSERT INTO strategy_journal (kind, candidate_id, reward) VALUES (?, ?, ?)',
    );
    this.after = this.db.prepare(
      'SELECT seq, kind, candidate_id AS candidateId, reward FROM strategy_journal WHERE seq > ? ORDER BY seq',
    );
    this.last = this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM strategy_journal');
  }

  /** Records an ask; returns its sequence number. */
  asked(candidateId: number): number {
    return Number(this.insert.run('ask', candidateId, null).lastInsertRowid);
  }

  /** Records a tell; returns its sequence number. */
  told(candidateId: number, reward: number | null): number {
    return Number(this.insert.run('tell', candidateId, reward).lastInsertRowid);
  }

  /** The entries after `seq`, in order. */
  entriesAfter(seq: number): JournalEntry[] {
    const rows = this.after.all(seq) as {
      seq: number;
      kind: string;
      candidateId: number;
      reward: number | null;
    }[];
    return rows.map((r) =>
      r.kind === 'ask'
        ? { seq: r.seq, kind: 'ask', candidateId: r.candidateId }
        : { seq: r.seq, kind: 'tell', candidateId: r.candidateId, reward: r.reward },
    );
  }

  /** The sequence number of the latest entry (0 when empty). */
  position(): number {
    return (this.last.get() as { seq: number }).seq;
  }

  close(): void {
    this.db.close();
  }
}
