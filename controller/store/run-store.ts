/** The run store: a run directory's SQLite database seen as the operations the search performs on it. */
import type { EpochMetrics } from '../../shared/trial.ts';
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
} from './records.ts';
import type { StrategyJournal } from './strategy-journal.ts';

/**
 * A run's persistent state. Every write is one transaction, committed before the method returns
 * (with `commit: 'turn'`: committed with the other writes of its event-loop turn, see `afterCommit`);
 * a trial moves queued -> running -> (succeeded | failed | cancelled), may go back to queued while
 * unfinished, and finishes at most once. Methods are synchronous (better-sqlite3).
 */
export interface RunStore {
  /** The run directory. */
  readonly dir: string;
  /** The strategy's ask/tell journal, in the same database and transactions. */
  readonly journal: StrategyJournal;
  /** The config written when the run was created, with the settings of the latest `settingsChanged`. */
  config(): StoredRunConfig;
  /**
   * Replaces the run's settings (a resumed search given a new trial budget); the caller parsed
   * them with the search-settings schema. The strategy, seed and space never change.
   */
  settingsChanged(settings: Readonly<Record<string, unknown>>): void;
  /** Adds a candidate to the queue and returns its trial id. */
  trialQueued(trial: QueuedTrial): number;
  /** Records that a trainer took the trial (requeue and interrupt cleared any earlier epochs). False if it had finished. */
  trialStarted(id: number, trainer: string): boolean;
  /** Records one epoch's metrics (replacing that epoch's earlier ones). False if the trial had finished. */
  trialEpoch(id: number, metrics: EpochMetrics): boolean;
  /** Finishes the trial, with the next finish order. False (and nothing written) if it had finished. */
  trialFinished(id: number, outcome: TrialOutcome): boolean;
  /** Puts an unfinished trial back in the queue for another attempt. False if it had finished. */
  trialRequeued(id: number, reason: string): boolean;
  /**
   * Puts an unfinished trial back in the queue because the search stopped (not the trial's fault):
   * no attempt is counted, and a resumed search runs it first. False if it had finished.
   */
  trialInterrupted(id: number, reason: string): boolean;
  /** Saves a strategy snapshot reflecting finish orders 1 .. finishedTrials; keeps the newest few. */
  saveSnapshot(snapshot: unknown, finishedTrials: number): void;
  /** The newest snapshot, or null before the first. */
  latestSnapshot(): StoredSnapshot | null;
  /** One trial; throws `UnknownTrialError` when there is none with that id. */
  trial(id: number): TrialRecord;
  /** Trials matching `filter`, in queueing order. */
  trials(filter?: TrialFilter): TrialRecord[];
  /** Queued and running trials, in queueing order: what a resumed search must still run. */
  unfinishedTrials(): TrialRecord[];
  /** Finished trials with finish order above `after`, in finish order (to replay after a snapshot). */
  finishedTrials(after?: number): TrialRecord[];
  /** A finished trial of this genotype hash: the latest succeeded one, else the latest finished one. */
  finishedHash(hash: string): TrialRecord | undefined;
  /** A trial's epoch metrics, in epoch order. */
  epochs(id: number): EpochMetrics[];
  /** Trials by status. */
  counts(): TrialCounts;
  /** The `k` best succeeded trials by reward (ties: the earlier finish), one per genotype hash. */
  bestTrials(k: number): TrialRecord[];
  /** The last `k` failed trials, most recent first. */
  recentFailures(k: number): TrialRecord[];
  /** Every finished trial's status and reward, in finish order. */
  rewardCurve(): RewardPoint[];
  /** When trials were first queued and last finished. */
  span(): RunSpan;
  /**
   * Runs several of these operations as one transaction: one commit instead of one each (for high
   * trial rates), all or nothing. Durability holds for the whole batch once it returns.
   */
  batch<T>(work: () => T): T;
  /**
   * Runs `callback` once every write made so far is committed: at once for a store that commits each
   * write, at the end of the turn for `commit: 'turn'`. Report an event only after this, and a crash
   * can never make a reported event unhappen.
   */
  afterCommit(callback: () => void): void;
  /**
   * Calls `listener` once, with a RunStoreWriteError, when the disk refuses a write or a commit
   * (full, read-only, I/O error): that turn is rolled back whole, its `afterCommit` callbacks never
   * run, and every later write throws the same error. Returns the listener's removal.
   */
  onWriteFailure(listener: (err: unknown) => void): () => void;
  /** Commits what is pending and closes the database; the store is unusable afterwards. */
  close(): void;
}
