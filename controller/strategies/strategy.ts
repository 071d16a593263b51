/**
 * The entry point of the search strategies: `createStrategy` builds the strategy a config names,
 * fresh or from a snapshot, from the strategy registry (registry.ts). Strategies are plain seeded
 * state machines (ask, tell, snapshot) with no Rx and no I/O; the search pipeline drives them.
 */
import type { SearchSpace } from '../../shared/search-space.ts';
import { STRATEGY_REGISTRY, type StrategySnapshot } from './registry.ts';
import type { StrategyRegistry } from './strategy-registry.ts';
import type { StrategyConfigBase } from './strategy-entry.ts';
import type { Strategy, StrategyConfig } from './types.ts';

export type * from './types.ts';
export type { EvolutionMeta, EvolutionSnapshot, PopulationMember } from './evolution.ts';
export type { RandomSnapshot } from './random.ts';
export type { PolicySnapshot, RlExample, RlFinished, RlMeta, RlSnapshot } from './rl/rl-types.ts';
export type {
  SnapshotParts,
  StrategyConfigBase,
  StrategyEntry,
  StrategyTypes,
} from './strategy-entry.ts';
export type { StrategyRegistry } from './strategy-registry.ts';
export type { NoSignal, SignalReplay, StrategySignalBase, Told } from './signal-replay.ts';
export type { EvolutionSignal, PopulationPoint } from './evolution-entry.ts';
export type { RlBatchPoint, RlSignal } from './rl/rl-entry.ts';
export { MAX_SIGNAL_POINTS, ThinnedPoints, fixedSignal } from './signal-replay.ts';
export { spread } from './evolution-entry.ts';
export type { StrategySignal, StrategySnapshot } from './registry.ts';
export { STRATEGIES, STRATEGY_REGISTRY } from './registry.ts';
export { strategyRegistry } from './strategy-registry.ts';
export {
  STRATEGY_NAMES,
  STRATEGY_SCHEMAS,
  defaultStrategyConfig,
  parseStrategyConfig,
} from '../../shared/strategy-config.ts';
export { parseStrategySnapshot } from './snapshot-parse.ts';
export { InvalidRewardError, SnapshotMismatchError, UnknownCandidateError } from './errors.ts';

/**
 * Readies what a strategy needs before its first tell: for the RL controller its update thread and
 * wasm backend (seconds, once per process), so that the search's first policy update does not wait
 * for them. `registry`: where the config's strategy is looked up.
 */
export async function prepareStrategy(
  config: StrategyConfigBase,
  registry: StrategyRegistry = STRATEGY_REGISTRY,
): Promise<void> {
  await registry.prepare(config);
}

/**
 * The built-in strategy `config` names, over `space`: fresh from its seed, or continuing exactly
 * from `snapshot` (taken from a strategy with the same config and space). Throws InvalidValueError
 * for a bad config and SnapshotMismatchError for a snapshot of another strategy or shape. Another
 * registry's strategies: its own `create`.
 */
export function createStrategy(
  config: StrategyConfig,
  space: SearchSpace,
  snapshot?: StrategySnapshot,
): Strategy<StrategySnapshot> {
  return STRATEGY_REGISTRY.create(config, space, snapshot);
}
