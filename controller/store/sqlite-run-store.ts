/** The run store implemented over one better-sqlite3 connection. */
import type Database from 'better-sqlite3';
import type { EpochMetrics, TrialStatus } from '../../shared/trial.ts';
import { UnknownTrialError } from './errors.ts';
import type {
  QueuedTrial,
  RewardPoint,
  RunSpan,
  StoredRunConfig,
  StoredSnapshot,
  TrialCounts,
  TrialFilter,
  TrialOutcome,
  TrialRecord,
  TrialState,
} from './records.ts';
import {
  decodeConfig,
  decodeEpoch,
  decodeSnapshotJson,
  decodeTrial,
  encodeConfig,
  encodeEpoch,
  encodeResult,
  finiteOrNull,
  toJson,
  type TrialRow,
} from './row-codec.ts';
import { GenotypeReader } from './genotype-reader.ts';
import type { RunLease } from './run-lease.ts';
import type { RunStore } from './run-store.ts';
import { KEPT_SNAPSHOTS } from './schema.ts';
import { prepareStatements, type Statements } from './statements.ts';
import { StrategyJournal } from './strategy-journal.ts';
import { isSqliteError } from './store-write-error.ts';
import { TurnCommits } from './turn-commits.ts';

/** The run store over an open better-sqlite3 connection whose schema is current. */
export class SqliteRunStore implements RunStore {
  readonly dir: string;
  readonly journal: StrategyJournal;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly sql: Statements;
  private stored: StoredRunConfig;
  private readonly genotypes: GenotypeReader;
  /** Runs a state change in one transaction (created once: better-sqlite3 wraps it per call otherwise). */
  private readonly atomically: (work: () => boolean) => boolean;
  private readonly turns: TurnCommits | null;
  private readonly lease: RunLease | null;

  /**
   * `genotypes`: the reader the open check parsed the run's genotypes with, if it did. `lease`: the
   * run lease the store holds (with `commit: 'turn'`): each turn's transaction is fenced by it, and
   * `close` releases it.
   */
  constructor(
    dir: string,
    db: Database.Database,
    now: () => number,
    commit: 'write' | 'turn',
    genotypes: GenotypeReader | null = null,
    lease: RunLease | null = null,
  ) {
    this.dir = dir;
    this.db = db;
    this.now = now;
    this.lease = lease;
    this.turns = commit === 'turn' ? new TurnCommits(db, () => lease?.fence(), dir) : null;
    this.journal = new StrategyJournal(db, (work) => this.write(work));
    this.sql = prepareStatements(db);
    const row = this.sql.run.get();
    if (row === undefined) throw new RangeError('run row missing');
    this.stored = decodeConfig(dir, row);
    this.genotypes = genotypes ?? new GenotypeReader(this.stored.space);
    // Within a turn's transaction every transition is already atomic with the rest of the turn
    // (a savepoint each would only cost two more statements per write).
    const transaction = db.transaction((work: () => boolean): boolean => work());
    this.atomically = commit === 'turn' ? (work) => work() : transaction;
  }

  config(): StoredRunConfig {
    return this.stored;
  }

  settingsChanged(settings: Readonly<Record<string, unknown>>): void {
    const next = Object.freeze({ ...this.stored, settings });
    this.write(() => this.sql.updateConfig.run(encodeConfig(next)));
    this.stored = next;
  }

  trialQueued(t: QueuedTrial): number {
    const info = this.write(() =>
      this.sql.insertTrial.run(
        t.candidateId,
        toJson(t.genotype),
        t.hash,
        toJson(t.meta ?? null),
        this.now(),
      ),
    );
    return Number(info.lastInsertRowid);
  }

  trialStarted(id: number, trainer: string): boolean {
    // A resume reads what it needs before its first dispatch; the rest would only take memory.
    this.genotypes.forgetKept();
    // Epochs of an earlier attempt were cleared when it was requeued or interrupted.
    return this.transition(
      id,
      () => this.sql.start.run({ id, trainer, now: this.now() }).changes > 0,
    );
  }

  trialEpoch(id: number, metrics: EpochMetrics): boolean {
    return this.transition(id, () => this.sql.putEpoch.run(encodeEpoch(id, metrics)).changes > 0);
  }

  trialFinished(id: number, outcome: TrialOutcome): boolean {
    return this.transition(id, () => {
      const result = outcome.result === null ? null : encodeResult(outcome.result);
      const { status, reason } = outcome;
      const reward = finiteOrNull(outcome.reward);
      const finish = { id, status, reward, reason, result, now: this.now() };
      if (this.sql.finish.run(finish).changes === 0) return false;
      for (const m of outcome.result?.epochs ?? []) this.sql.putFinalEpoch.run(encodeEpoch(id, m));
      return true;
    });
  }

  trialRequeued(id: number, reason: string): boolean {
    return this.backToQueue(this.sql.requeue, id, reason);
  }

  trialInterrupted(id: number, reason: string): boolean {
    return this.backToQueue(this.sql.interrupt, id, reason);
  }

  saveSnapshot(snapshot: unknown, finishedTrials: number): void {
    this.write(() =>
      this.atomically(() => {
        this.sql.insertSnapshot.run(finishedTrials, toJson(snapshot), this.now());
        return this.sql.pruneSnapshots.run(KEPT_SNAPSHOTS).changes > 0;
      }),
    );
  }

  latestSnapshot(): StoredSnapshot | null {
    const row = this.sql.latestSnapshot.get();
    if (row === undefined) return null;
    const snapshot = decodeSnapshotJson(this.dir, row.snapshot);
    return { snapshot, finishedTrials: row.finished_trials, createdAt: row.created_at };
  }

  trial(id: number): TrialRecord {
    const row = this.sql.trial.get(id);
    if (row === undefined) throw new UnknownTrialError(id);
    return this.decode(row);
  }

  trials(filter: TrialFilter = {}): TrialRecord[] {
    const statuses = filter.status === undefined ? null : JSON.stringify(filter.status);
    return this.sql.trials.all({ statuses, hash: filter.hash ?? null }).map(this.decode);
  }

  unfinishedTrials(): TrialRecord[] {
    return this.sql.unfinished.all().map(this.decode);
  }

  finishedTrials(after = 0): TrialRecord[] {
    return this.sql.finishedAfter.all(after).map(this.decode);
  }

  finishedHash(hash: string): TrialRecord | undefined {
    const row = this.sql.finishedHash.get(hash);
    return row === undefined ? undefined : this.decode(row);
  }

  epochs(id: number): EpochMetrics[] {
    return this.sql.epochs.all(id).map(decodeEpoch);
  }

  counts(): TrialCounts {
    const rows = new Map(this.sql.counts.all().map(({ status, n }) => [status, n]));
    const n = (status: TrialState): number => rows.get(status) ?? 0;
    return {
      queued: n('queued'),
      running: n('running'),
      succeeded: n('succeeded'),
      failed: n('failed'),
      cancelled: n('cancelled'),
    };
  }

  bestTrials(k: number): TrialRecord[] {
    const best: TrialRecord[] = [];
    const seen = new Set<string>();
    for (const row of this.sql.best.iterate()) {
      if (best.length >= k) break;
      if (seen.has(row.hash)) continue;
      seen.add(row.hash);
      best.push(this.decode(row));
    }
    return best;
  }

  recentFailures(k: number): TrialRecord[] {
    return this.sql.recentFailures.all(k).map(this.decode);
  }

  rewardCurve(): RewardPoint[] {
    return this.sql.rewardCurve.all().map((row) => ({
      finishOrder: row.finish_order,
      status: finalStatus(row.status),
      reward: row.reward,
    }));
  }

  span(): RunSpan {
    const row = this.sql.span.get();
    return { firstCreatedAt: row?.first ?? null, lastFinishedAt: row?.last ?? null };
  }

  batch<T>(work: () => T): T {
    return this.write(() => this.db.transaction(work)());
  }

  afterCommit(callback: () => void): void {
    if (this.turns === null) callback();
    else this.turns.afterCommit(callback);
  }

  onWriteFailure(listener: (err: unknown) => void): () => void {
    return this.turns?.onFailure(listener) ?? (() => undefined);
  }

  close(): void {
    try {
      this.turns?.commit();
      releaseQuietly(this.lease);
    } finally {
      this.db.close();
    }
  }

  private readonly decode = (row: TrialRow): TrialRecord =>
    decodeTrial(this.dir, this.genotypes, row);

  /** Puts an unfinished trial back in the queue with `statement` and clears its epochs. */
  private backToQueue(
    statement: Statements['requeue'] | Statements['interrupt'],
    id: number,
    reason: string,
  ): boolean {
    return this.transition(id, () => {
      const changed = statement.run({ id, reason }).changes > 0;
      if (changed) this.sql.clearEpochs.run(id);
      return changed;
    });
  }

  /** Runs `change` in a transaction; when it changed nothing, tells an unknown id from a finished trial. */
  private transition(id: number, change: () => boolean): boolean {
    return this.write(() =>
      this.atomically(() => {
        if (change()) return true;
        if (this.sql.trial.get(id) === undefined) throw new UnknownTrialError(id);
        return false;
      }),
    );
  }

  /** Runs one write: in this turn's transaction (a refused write fails the turn), or on its own. */
  private write<T>(work: () => T): T {
    return this.turns === null ? work() : this.turns.write(work);
  }
}

/** A finished trial's status from its column (the schema admits no other values there). */
function finalStatus(status: string): TrialStatus {
  return status === 'succeeded' || status === 'failed' ? status : 'cancelled';
}

/**
 * Gives the lease back; when the disk refuses even that (full), the row lapses by itself within
 * its time to live and a resume on this host sees its holder gone at once.
 */
function releaseQuietly(lease: RunLease | null): void {
  try {
    lease?.release();
  } catch (err) {
    if (!isSqliteError(err)) throw err;
  }
}
