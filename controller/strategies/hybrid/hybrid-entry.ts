/**
 * The Evo-NAS hybrid in the strategy registry: its snapshot schema, the update thread to start
 * before a search, and its dashboard signal. The signal is the RL controller's (one point per
 * policy update, replayed from the journal): the hybrid's minibatches and baseline follow the same
 * rule, and its candidates' log-probabilities (of mostly copied sequences) are not sampling
 * entropies, so the entropy is left unknown.
 */
import { z } from 'zod';
import {
  HYBRID_CONFIG_SCHEMA,
  defaultStrategyConfig,
  type HybridConfig,
} from '../../../shared/strategy-config.ts';
import { learnerStateFields, withQueue } from '../rl/learner-state-schema.ts';
import { RL_STRATEGY, type RlSignal } from '../rl/rl-entry.ts';
import { prepareRlStrategy } from '../rl/update-thread.ts';
import type { StrategyEntry } from '../strategy-entry.ts';
import { createHybridStrategy } from './hybrid-strategy.ts';
import type { HybridSnapshot } from './hybrid-types.ts';

/** The Evo-NAS hybrid's entry in the strategy registry. */
export const HYBRID_STRATEGY: StrategyEntry<{
  config: HybridConfig;
  snapshot: HybridSnapshot;
  signal: RlSignal;
}> = {
  name: 'hybrid',
  config: HYBRID_CONFIG_SCHEMA,
  snapshot: ({ base, genotype, count }) =>
    z
      .object({
        name: z.literal('hybrid'),
        ...base,
        population: z.array(z.object({ id: count.min(1), genotype, reward: z.number() })),
        ...learnerStateFields(count),
      })
      .transform(withQueue),
  create: createHybridStrategy,
  prepare: prepareRlStrategy,
  signal: (config) =>
    RL_STRATEGY.signal({
      ...defaultStrategyConfig('rl', config.seed),
      batchSize: config.batchSize,
      baselineDecay: config.baselineDecay,
    }),
};
