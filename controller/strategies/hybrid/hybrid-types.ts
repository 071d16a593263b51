/** The Evo-NAS hybrid's candidate meta, population and snapshot: types only, shared by its modules. */
import type { PopulationMember } from '../evolution.ts';
import type { PolicySnapshot, RlExample, RlFinished } from '../rl/rl-types.ts';
import type { SnapshotBase } from '../types.ts';

/**
 * Meta of a hybrid candidate: its decision sequence and its log-probability under the policy that
 * proposed it; a child also names its parent and the decisions the policy re-sampled.
 */
export type HybridMeta =
  | { readonly kind: 'sample'; readonly decisions: readonly number[]; readonly logp: number }
  | {
      readonly kind: 'child';
      readonly parentId: number;
      readonly mutated: readonly number[];
      readonly decisions: readonly number[];
      readonly logp: number;
    };

/** One of the best cells seen, which every policy update imitates (priority-queue training). */
export interface HybridBest {
  readonly decisions: readonly number[];
  readonly reward: number;
}

/** The policy's training state: the RL controller's bookkeeping plus the best cells seen. */
export interface PolicyTrainerState {
  readonly policy: PolicySnapshot;
  /** The moving-average baseline; null until the first minibatch sets it. */
  readonly baseline: number | null;
  /** Finished trials of the minibatch being collected, in tell order. */
  readonly finished: readonly RlFinished[];
  /** Policy updates started so far. */
  readonly updates: number;
  /** The examples of the update still running (applied once the next minibatch is half full), or null. */
  readonly updating: readonly RlExample[] | null;
  /** The best cells seen, best first, at most `pqtSize`. */
  readonly best: readonly HybridBest[];
}

/** Snapshot of the hybrid: the population, oldest first, and the policy's training state. */
export interface HybridSnapshot extends SnapshotBase, PolicyTrainerState {
  readonly name: 'hybrid';
  readonly population: readonly PopulationMember[];
}
