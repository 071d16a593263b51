/**
 * The RL controller's reward baseline: an exponential moving average of rewards (decay
 * `baselineDecay`), started at the first minibatch's mean so that the first update is not
 * all-positive. The strategy and the dashboard's replay of it both use this one function.
 */

/** The baseline of one minibatch: the advantages' reference before it, and the average after it. */
export interface MinibatchBaseline {
  /** What each reward of the minibatch is compared with (its advantage is reward minus this). */
  readonly before: number;
  /** The moving average after it absorbed the minibatch's rewards, in order. */
  readonly after: number;
  /** The minibatch's mean reward. */
  readonly mean: number;
}

/** Moves the baseline `previous` (null before the first minibatch) over `rewards`, in order. */
export function minibatchBaseline(
  previous: number | null,
  rewards: readonly number[],
  decay: number,
): MinibatchBaseline {
  const mean = rewards.reduce((sum, r) => sum + r, 0) / rewards.length;
  const before = previous ?? mean;
  let after = before;
  for (const r of rewards) after = decay * after + (1 - decay) * r;
  return { before, after, mean };
}
