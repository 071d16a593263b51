/** Random search, the paper's baseline: every candidate is drawn uniformly from the search space. */
import { createRng, rngFromState } from '../../shared/rng.ts';
import { sampleGenotype } from '../../shared/sample.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { checkReward } from './errors.ts';
import { PendingCandidates } from './pending.ts';
import { saveRng } from './rng-state.ts';
import type { RandomConfig, RandomSnapshot, Strategy } from './types.ts';

/** A random-search strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createRandomStrategy(
  config: RandomConfig,
  space: SearchSpace,
  snapshot?: RandomSnapshot,
): Strategy {
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
