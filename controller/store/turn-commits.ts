/** Commits per event-loop turn for the run store's `commit: 'turn'` option. */
import type Database from 'better-sqlite3';

/**
 * One transaction per event-loop turn: the first write of a turn begins it, a `setImmediate` queued
 * then commits it after the turn's I/O callbacks ran (results that arrive together share a commit).
 */
export class TurnCommits {
  private open = false;
  private waiting: (() => void)[] = [];

  /**
   * `fence` runs first in each turn's transaction, under its write lock (the run lease's check):
   * when it throws, the transaction is rolled back and the write that began it throws the same.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly fence: () => void = () => undefined,
  ) {}

  /** Makes the caller's write part of this turn's transaction. */
  join(): void {
    if (this.open) return;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.fence();
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.open = true;
    setImmediate(this.commit);
  }

  /** Runs `callback` once this turn's writes are committed (now, if nothing is pending). */
  afterCommit(callback: () => void): void {
    if (this.open) this.waiting.push(callback);
    else callback();
  }

  /** Commits the turn's transaction, then runs the callbacks that waited for it. */
  readonly commit = (): void => {
    if (!this.open) return;
    this.open = false;
    if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
  };
}
