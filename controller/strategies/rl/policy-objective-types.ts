/**
 * What the controller's training objective takes and gives (policy-gradient.ts computes it): the
 * finished trials of a minibatch as the loss sees them, its hyper-parameters, and the loss with its
 * gradient for every parameter.
 */
import type { RlAlgorithm } from '../types.ts';
import type { PolicyParams } from './policy-layout.ts';

/** One finished trial as the loss sees it. */
export interface TrainingExample {
  readonly decisions: readonly number[];
  /** Log-probability under the policy that sampled it (PPO's importance-ratio denominator). */
  readonly oldLogp: number;
  /** Reward minus baseline. */
  readonly advantage: number;
}

/** The loss's hyper-parameters. */
export interface LossOptions {
  readonly algorithm: RlAlgorithm;
  /** PPO ratio clip epsilon. */
  readonly clip: number;
  readonly entropyWeight: number;
}

/** The loss value and its gradient with respect to every parameter. */
export interface LossAndGradients {
  readonly loss: number;
  readonly grads: PolicyParams;
}
