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

/** Snapshot of the RL controller. */
export interface RlSnapshot extends SnapshotBase {
  readonly name: 'rl';
  readonly policy: PolicySnapshot;
  /** The moving-average baseline; null until the first minibatch sets it. */
  readonly baseline: number | null;
  /** Finished trials of the minibatch being collected, in tell order. */
  readonly finished: readonly RlFinished[];
  /** Policy updates started so far (the latest may still be running; see `updating`). */
  readonly updates: number;
  /**
   * The minibatch whose update is running and not yet applied, or null. The update starts from
   * `policy` and is applied once the next minibatch is half full; a restored strategy starts it again.
   */
  readonly updating: readonly RlExample[] | null;
}
