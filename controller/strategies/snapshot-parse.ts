/**
 * The one parser for snapshots read back from storage: `parseSearchSnapshot` checks the search's
 * envelope (journal position, the run's strategy) and `parseStrategySnapshot` the strategy inside it,
 * with its genotypes parsed against the run's search space and its fields by its own entry's schema
 * (see strategy-registry.ts). Both return typed values or throw InvalidValueError listing every
 * problem with its path. Shapes that depend on the config (RL weight sizes) are checked on restore.
 */
import type { SearchSpace } from '../../shared/search-space.ts';
import { STRATEGY_REGISTRY, type StrategySnapshot } from './registry.ts';
import type { SearchSnapshot } from './types.ts';

/**
 * Parses a search snapshot (as `JSON.parse` returns it) of a run over `space` whose strategy is
 * `strategy`, one of the built-ins. Snapshots written before the envelope had a version are version 1.
 */
export function parseSearchSnapshot(
  input: unknown,
  space: SearchSpace,
  strategy: string,
): SearchSnapshot<StrategySnapshot> {
  return STRATEGY_REGISTRY.parseSearchSnapshot(input, space, strategy);
}

/** Parses a strategy snapshot (as `JSON.parse` returns it) of a built-in strategy over `space`. */
export function parseStrategySnapshot(input: unknown, space: SearchSpace): StrategySnapshot {
  return STRATEGY_REGISTRY.parseSnapshot(input, space);
}
