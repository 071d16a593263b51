/** Random search, the paper's baseline: every candidate is drawn uniformly from the search space. */
import { z } from 'zod';
import { createRng, rngFromState } from '../../shared/rng.ts';
import { sampleGenotype } from '../../shared/sample.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { RANDOM_CONFIG_SCHEMA } from '../../shared/strategy-config.ts';
import { checkReward } from './errors.ts';
import { PendingCandidates } from './pending.ts';
import { saveRng } from './rng-state.ts';
import { fixedSignal, type NoSignal } from './signal-replay.ts';
import type { StrategyEntry } from './strategy-entry.ts';
import type { RandomConfig, SnapshotBase, Strategy } from './types.ts';

/** Snapshot of random search. */
export interface RandomSnapshot extends SnapshotBase {
  readonly name: 'random';
}

/** A random-search strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createRandomStrategy(
  config: RandomConfig,
  space: SearchSpace,
  snapshot?: RandomSnapshot,
): Strategy<RandomSnapshot> {
  const rng = snapshot ? rngFromState(snapshot.rng) : createRng(config.seed);
  const pending = new PendingCandidates(snapshot?.nextId, snapshot?.pending);
  return {
    name: 'random',
    ask: () => pending.issue(sampleGenotype(rng, space), null),
    tell: (candidate, reward) => {
      checkReward(candidate.id, reward);
      pending.take(candidate);
    },
    pending: () => pending.list(),
    snapshot: (): RandomSnapshot => ({
      version: 1,
      name: 'random',
      rng: saveRng(rng),
      nextId: pending.nextId(),
      pending: pending.list(),
    }),
  };
}

/** Random search in the strategy registry: it learns nothing, so the dashboard says so. */
export const RANDOM_STRATEGY: StrategyEntry<{
  config: RandomConfig;
  snapshot: RandomSnapshot;
  signal: NoSignal;
}> = {
  name: 'random',
  config: RANDOM_CONFIG_SCHEMA,
  snapshot: ({ base }) => z.object({ name: z.literal('random'), ...base }),
  create: createRandomStrategy,
  signal: () => fixedSignal('random search does not learn: every candidate is drawn uniformly'),
};
