/** The values the run store takes and gives back: the run's config, trials, outcomes, snapshots. */
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import type { TrialResult, TrialStatus } from '../../shared/trial.ts';
import type { TRIAL_STATES } from './schema.ts';

/** Where a stored trial is: waiting, on a trainer, or finished with one of the final statuses. */
export type TrialState = (typeof TRIAL_STATES)[number];

/** The run's configuration, written once when the run is created and read back on resume. */
export interface RunConfigRecord {
  /** The strategy's name (`rl`, `evolution`, `random`). */
  readonly strategy: string;
  /** The seed of the run's random number generator. */
  readonly seed: number;
  /** The search space every genotype of the run belongs to. */
  readonly space: SearchSpace;
  /** The rest of the validated search config (network, training, strategy options, ...), JSON-able. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** The run's configuration as stored, with the schema version and when the run was created. */
export interface StoredRunConfig extends RunConfigRecord {
  readonly schemaVersion: number;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
}

/** What a trial's result says beyond its status and epochs: the network's size and where it ran. */
export type TrialResultSummary = Omit<TrialResult, 'status' | 'reason' | 'epochs'>;

/** A candidate the strategy proposed, as it enters the queue. */
export interface QueuedTrial {
  /** The strategy's id for the candidate. */
  readonly candidateId: number;
  readonly genotype: Genotype;
  /** The genotype's canonical hash (shared/canonical.ts `genotypeHash`). */
  readonly hash: string;
  /** What the strategy needs back with the result (log-probabilities, parent, ...), JSON-able. */
  readonly meta: unknown;
}

/** How a trial ended, as the pipeline records it. */
export interface TrialOutcome {
  readonly status: TrialStatus;
  /** The reward the strategy is told; null when the trial produced none. Non-finite values become null. */
  readonly reward: number | null;
  /** Why it failed or was cancelled; empty when it succeeded. */
  readonly reason: string;
  /** The trainer's result, when it sent one; its epochs are stored with the trial's epochs. */
  readonly result: TrialResult | null;
}

/** One stored trial. Its per-epoch metrics are read separately with `RunStore.epochs`. */
export interface TrialRecord {
  /** The store's id, 1, 2, 3, ... in queueing order. */
  readonly id: number;
  readonly candidateId: number;
  readonly genotype: Genotype;
  readonly hash: string;
  readonly meta: unknown;
  readonly status: TrialState;
  /** 1 for the first try; each requeue (a trainer died under it) adds one. */
  readonly attempts: number;
  /** The address of the trainer of the latest attempt; null before it started. */
  readonly trainer: string | null;
  readonly reward: number | null;
  readonly reason: string;
  readonly result: TrialResultSummary | null;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** 1 for the first trial to finish, 2 for the next, ...; null while unfinished. */
  readonly finishOrder: number | null;
}

/** Trials by status. */
export type TrialCounts = Readonly<Record<TrialState, number>>;

/**
 * A snapshot as the store holds it: the search's JSON value, unparsed (the search parses it against
 * its space and strategy), and how many finished trials (by finish order) it reflects.
 */
export interface StoredSnapshot {
  readonly snapshot: unknown;
  /** The snapshot reflects the trials with finish order 1 .. finishedTrials. */
  readonly finishedTrials: number;
  readonly createdAt: number;
}

/** Which trials `RunStore.trials` returns; every field narrows, and none means all. */
export interface TrialFilter {
  readonly status?: readonly TrialState[];
  readonly hash?: string;
}

/** One finished trial's place on a search curve. */
export interface RewardPoint {
  readonly finishOrder: number;
  readonly status: TrialStatus;
  readonly reward: number | null;
}

/** When a run's trials were first queued and last finished (null when none were). */
export interface RunSpan {
  readonly firstCreatedAt: number | null;
  readonly lastFinishedAt: number | null;
}
