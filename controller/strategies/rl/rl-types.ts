/** The RL controller's candidate meta and snapshot: types only, shared by its modules. */
import type { SnapshotBase } from '../types.ts';

/** Meta of an RL candidate: its decision sequence and the log-probability it was sampled with. */
export interface RlMeta {
  readonly decisions: readonly number[];
  readonly logp: number;
}

/** A finished trial waiting in the current minibatch; `reward` is already raised to the power. */
export interface RlFinished extends RlMeta {
  readonly reward: number;
}

/** A finished trial in a minibatch whose policy update is running: its advantage is fixed. */
export interface RlExample {
  readonly decisions: readonly number[];
  /** Log-probability under the policy that sampled it. */
  readonly oldLogp: number;
  /** Reward minus the baseline before the minibatch. */
  readonly advantage: number;
}

/** Controller weights and Adam state, as plain number arrays keyed by parameter name. */
export interface PolicySnapshot {
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** Adam's first and second moment estimates, same keys and lengths as `params`. */
  readonly m: Readonly<Record<string, readonly number[]>>;
  readonly v: Readonly<Record<string, readonly number[]>>;
  /** Adam steps taken so far (for bias correction). */
  readonly step: number;
}

/** One of the best cells seen, which every policy update imitates (priority-queue training). */
export interface BestCell {
  readonly decisions: readonly number[];
  readonly reward: number;
}

/** A policy update started and not yet applied. */
export interface QueuedUpdate {
  readonly examples: readonly RlExample[];
  /** Applied once this many results have joined minibatches in all (see policy-learner.ts). */
  readonly applyAt: number;
}

/** A policy and its training state (policy-learner.ts), JSON-able. */
export interface LearnerState {
  readonly policy: PolicySnapshot;
  /** The moving-average baseline; null until the first minibatch sets it. */
  readonly baseline: number | null;
  /** Finished trials of the minibatch being collected, in tell order. */
  readonly finished: readonly RlFinished[];
  /** Policy updates started so far (the latest ones may not be applied yet; see `queue`). */
  readonly updates: number;
  /**
   * Updates started and not yet applied, oldest first. The first starts from `policy`, each next
   * one from the previous one's result; a restored learner starts them again.
   */
  readonly queue: readonly QueuedUpdate[];
  /** The best cells seen, best first, at most `pqtSize`. */
  readonly best: readonly BestCell[];
}

/** Snapshot of the RL controller. */
export interface RlSnapshot extends SnapshotBase, LearnerState {
  readonly name: 'rl';
}
