/**
 * The strategy's learning signal, replayed from the run's ask/tell journal: nothing extra is
 * recorded by the search, and a resumed search stays exact. The journal holds every result in the
 * order the strategy was told it, and each strategy's bookkeeping is a fixed function of that order;
 * each strategy's entry in the registry (controller/strategies/registry.ts) makes its replay.
 */
import {
  STRATEGY_REGISTRY,
  type SignalReplay,
  type StrategyConfig,
  type StrategyConfigBase,
  type StrategyRegistry,
  type StrategySignal,
  type StrategySignalBase,
  type StrategySnapshotBase,
} from '../strategies/strategy.ts';

export { MAX_SIGNAL_POINTS, fixedSignal, spread } from '../strategies/strategy.ts';
export type { SignalReplay, Told } from '../strategies/strategy.ts';

/** The replay for a run's strategy config, from the built-in strategies. */
export function signalReplay(config: StrategyConfig): SignalReplay<StrategySignal>;
/** The replay for a config of one of `registry`'s strategies. */
export function signalReplay<G extends StrategySignalBase>(
  config: StrategyConfigBase,
  registry: StrategyRegistry<StrategySnapshotBase, G>,
): SignalReplay<G>;
export function signalReplay(
  config: StrategyConfigBase,
  registry: StrategyRegistry = STRATEGY_REGISTRY,
): SignalReplay {
  return registry.signal(config);
}
