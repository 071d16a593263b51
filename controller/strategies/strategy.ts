/**
 * The entry point of the search strategies: `createStrategy` builds the strategy a config names,
 * fresh or from a snapshot. Strategies are plain seeded state machines (ask, tell, snapshot) with no
 * Rx and no I/O; the search pipeline drives them.
 */
import type { SearchSpace } from '../../shared/search-space.ts';
import { SnapshotMismatchError } from './errors.ts';
import { createEvolutionStrategy } from './evolution.ts';
import { createRandomStrategy } from './random.ts';
import { createRlStrategy } from './rl/rl-strategy.ts';
import { prepareRlStrategy } from './rl/update-thread.ts';
import { parseStrategyConfig } from '../../shared/strategy-config.ts';
import type { Strategy, StrategyConfig, StrategySnapshot } from './types.ts';

export type * from './types.ts';
export {
  STRATEGY_NAMES,
  STRATEGY_SCHEMAS,
  defaultStrategyConfig,
  parseStrategyConfig,
} from '../../shared/strategy-config.ts';
export { parseStrategySnapshot } from './snapshot-parse.ts';
export { InvalidRewardError, SnapshotMismatchError, UnknownCandidateError } from './errors.ts';

/**
 * Readies what a strategy needs before its first tell: the RL controller's update thread and its
 * wasm backend (seconds, once per process), so that the search's first policy update does not wait
 * for them. Nothing for the others.
 */
export async function prepareStrategy(config: StrategyConfig): Promise<void> {
  if (config.name === 'rl') await prepareRlStrategy();
}

/**
 * The strategy `config` names, over `space`: fresh from its seed, or continuing exactly from
 * `snapshot` (taken from a strategy with the same config and space). Throws InvalidValueError for a
 * bad config and SnapshotMismatchError for a snapshot of another strategy or shape.
 */
export function createStrategy(
  given: StrategyConfig,
  space: SearchSpace,
  snapshot?: StrategySnapshot,
): Strategy {
  // A config built in code (tests, benchmarks) gets the checks a parsed one had.
  const config = parseStrategyConfig(given);
  if (snapshot !== undefined && snapshot.name !== config.name) {
    throw new SnapshotMismatchError(
      `cannot restore a ${config.name} strategy from a ${snapshot.name} snapshot`,
    );
  }
  if (snapshot !== undefined && snapshot.version !== 1) {
    throw new SnapshotMismatchError(
      `unsupported strategy snapshot version ${String(snapshot.version)}`,
    );
  }
  switch (config.name) {
    case 'random':
      return createRandomStrategy(
        config,
        space,
        snapshot?.name === 'random' ? snapshot : undefined,
      );
    case 'evolution':
      return createEvolutionStrategy(
        config,
        space,
        snapshot?.name === 'evolution' ? snapshot : undefined,
      );
    case 'rl':
      return createRlStrategy(config, space, snapshot?.name === 'rl' ? snapshot : undefined);
  }
}
