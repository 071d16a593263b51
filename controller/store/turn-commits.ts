/** Commits per event-loop turn for the run store's `commit: 'turn'` option. */
import type Database from 'better-sqlite3';
import { isSqliteError, RunStoreWriteError } from './store-write-error.ts';

/**
 * One transaction per event-loop turn: the first write of a turn begins it, a `setImmediate` queued
 * then commits it after the turn's I/O callbacks ran (results that arrive together share a commit).
 *
 * A write or a commit that SQLite refuses (a full disk, an I/O error) rolls the whole turn back, so
 * no half of a turn is ever kept; every later write throws the same error, and `onFailure`
 * listeners hear of it (a commit fails where no caller is waiting for it).
 */
export class TurnCommits {
  private open = false;
  private waiting: (() => void)[] = [];
  private failure: RunStoreWriteError | null = null;
  private readonly listeners = new Set<(err: RunStoreWriteError) => void>();

  /**
   * `fence` runs first in each turn's transaction, under its write lock (the run lease's check):
   * when it throws, the transaction is rolled back and the write that began it throws the same.
   * `dir` is the run directory the errors name.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly fence: () => void = () => undefined,
    private readonly dir = '',
  ) {}

  /** Runs `work`, one write of this turn's transaction; SQLite's refusal fails the turn. */
  write<T>(work: () => T): T {
    this.join();
    try {
      return work();
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      throw this.fail(err);
    }
  }

  /** Makes the caller's write part of this turn's transaction. */
  join(): void {
    if (this.failure !== null) throw this.failure;
    if (this.open) return;
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      throw isSqliteError(err) && !err.code.startsWith('SQLITE_BUSY') ? this.fail(err) : err;
    }
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
    else if (this.failure === null) callback();
  }

  /** Calls `listener` with the error of the first write or commit SQLite refuses; returns its removal. */
  onFailure(listener: (err: RunStoreWriteError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Commits the turn's transaction, then runs the callbacks that waited for it. */
  readonly commit = (): void => {
    if (!this.open) return;
    this.open = false;
    if (this.failure !== null) return this.rollback();
    try {
      if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      this.fail(err);
      return this.rollback();
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
  };

  /** Records the first failure (as a RunStoreWriteError), tells the listeners once; returns it. */
  private fail(err: Error & { code: string }): RunStoreWriteError {
    if (this.failure !== null) return this.failure;
    this.failure = new RunStoreWriteError(this.dir, err.code, err.message);
    for (const listener of this.listeners) listener(this.failure);
    return this.failure;
  }

  /** Drops the failed turn: its writes and the callbacks that waited for them. */
  private rollback(): void {
    this.waiting = [];
    if (!this.db.open || !this.db.inTransaction) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // SQLite may have rolled the transaction back itself (a full disk can do that).
    }
  }
}
