/**
 * Local search in the strategy registry: its snapshot schema and its dashboard signal. It learns no
 * model, so the signal says so; the best-so-far chart shows its progress.
 */
import { z } from 'zod';
import { LOCAL_CONFIG_SCHEMA, type LocalConfig } from '../../shared/strategy-config.ts';
import { createLocalStrategy, type LocalSnapshot } from './local.ts';
import { fixedSignal, type NoSignal } from './signal-replay.ts';
import type { StrategyEntry } from './strategy-entry.ts';

/** Local search's entry in the strategy registry. */
export const LOCAL_STRATEGY: StrategyEntry<{
  config: LocalConfig;
  snapshot: LocalSnapshot;
  signal: NoSignal;
}> = {
  name: 'local',
  config: LOCAL_CONFIG_SCHEMA,
  snapshot: ({ base, count }) => {
    const move = z.object({ slot: count, choice: count });
    return z.object({
      name: z.literal('local'),
      ...base,
      initLeft: count,
      incumbent: z
        .object({ id: count.min(1), decisions: z.array(count), reward: z.number() })
        .nullable(),
      untried: z.array(move),
    });
  },
  create: createLocalStrategy,
  signal: () =>
    fixedSignal('local search keeps no model: it moves to the first better neighbour it finds'),
};
