/** The Evo-NAS hybrid's candidate meta, population and snapshot: types only, shared by its modules. */
import type { PopulationMember } from '../evolution.ts';
import type { LearnerState } from '../rl/rl-types.ts';
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

/** Snapshot of the hybrid: the population, oldest first, and the policy's training state. */
export interface HybridSnapshot extends SnapshotBase, LearnerState {
  readonly name: 'hybrid';
  readonly population: readonly PopulationMember[];
}
