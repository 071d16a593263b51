/**
 * The RL controller in the strategy registry: its snapshot schema, its update thread to start before
 * a search, and its dashboard signal, one point per policy update replayed from the run's journal.
 * The replay follows the strategy's own bookkeeping (rl-strategy.ts): a told accuracy (or
 * `failureReward` for a failure; none: left out) raised to `rewardPower` joins the minibatch; every
 * `batchSize` of them make one update, with the baseline of baseline.ts. The entropy is estimated as
 * the mean -log p of the minibatch's candidates, as sampled (their meta keeps it): its expectation is
 * the policy's summed per-decision entropy, the quantity the policy's entropy bonus uses.
 */
import { z } from 'zod';
import { RL_CONFIG_SCHEMA } from '../../../shared/strategy-config.ts';
import type { SignalReplay } from '../signal-replay.ts';
import type { StrategyEntry } from '../strategy-entry.ts';
import type { RlConfig } from '../types.ts';
import { minibatchBaseline } from './baseline.ts';
import { learnerStateFields, withQueue } from './learner-state-schema.ts';
import { createRlStrategy } from './rl-strategy.ts';
import type { RlSnapshot } from './rl-types.ts';
import { prepareRlStrategy } from './update-thread.ts';

/** One policy update of the RL controller, as replayed from the run's journal. */
export interface RlBatchPoint {
  /** 1 for the first minibatch. */
  readonly batch: number;
  /** Results the strategy had been told when the minibatch filled. */
  readonly told: number;
  /** Mean reward (accuracy^rewardPower) of the minibatch. */
  readonly meanReward: number;
  /** The moving-average baseline after the minibatch. */
  readonly baseline: number;
  /** Estimated policy entropy: mean -log p of the minibatch's sampled decisions (nats); null when unknown. */
  readonly entropy: number | null;
}

/** The RL controller's dashboard signal: its minibatch size and one point per policy update. */
export interface RlSignal {
  readonly kind: 'rl';
  readonly batchSize: number;
  readonly points: readonly RlBatchPoint[];
}

/** The RL controller's entry in the strategy registry. */
export const RL_STRATEGY: StrategyEntry<{
  config: RlConfig;
  snapshot: RlSnapshot;
  signal: RlSignal;
}> = {
  name: 'rl',
  config: RL_CONFIG_SCHEMA,
  snapshot: ({ base, count }) =>
    z.object({ name: z.literal('rl'), ...base, ...learnerStateFields(count) }).transform(withQueue),
  create: createRlStrategy,
  prepare: prepareRlStrategy,
  signal: rlReplay,
  logpOf: (meta) =>
    typeof meta === 'object' && meta !== null && 'logp' in meta && typeof meta.logp === 'number'
      ? meta.logp
      : null,
};

function rlReplay(config: RlConfig): SignalReplay<RlSignal> {
  const finished: { reward: number; logp: number | null }[] = [];
  const points: RlBatchPoint[] = [];
  let baseline: number | null = null;
  let told = 0;
  return {
    tell(result, logp) {
      told += 1;
      const accuracy = result.reward ?? config.failureReward;
      if (accuracy === null) return;
      finished.push({ reward: accuracy ** config.rewardPower, logp: logp(result.candidateId) });
      if (finished.length < config.batchSize) return;
      const batch = finished.splice(0, config.batchSize);
      const rewards = batch.map((f) => f.reward);
      const { mean, after } = minibatchBaseline(baseline, rewards, config.baselineDecay);
      baseline = after;
      const logps = batch.map((f) => f.logp);
      const entropy = logps.every((l) => l !== null)
        ? -logps.reduce((sum, l) => sum + l, 0) / logps.length
        : null;
      points.push({ batch: points.length + 1, told, meanReward: mean, baseline: after, entropy });
    },
    signal: () => ({ kind: 'rl', batchSize: config.batchSize, points: [...points] }),
  };
}
