/**
 * The strategy registry: one entry per search strategy, the one table a new strategy joins. Creating,
 * preparing and restoring strategies, the dashboard's signal and the CLI's choices all read it; the
 * compiler checks that every name in shared/strategy-config.ts has an entry with that config schema.
 */
import type { z } from 'zod';
import type { StrategyConfigOf, StrategyName } from '../../shared/strategy-config.ts';
import { EVOLUTION_STRATEGY } from './evolution-entry.ts';
import { HYBRID_STRATEGY } from './hybrid/hybrid-entry.ts';
import { LOCAL_STRATEGY } from './local-entry.ts';
import { RANDOM_STRATEGY } from './random.ts';
import { RL_STRATEGY } from './rl/rl-entry.ts';
import { strategyRegistry } from './strategy-registry.ts';

/** What the table checks of the entry of strategy `N`: its name and its config schema. */
interface EntryFor<N extends StrategyName> {
  readonly name: N;
  readonly config: z.ZodType<StrategyConfigOf<N>, unknown>;
}

/** Every built-in strategy's entry, under its name. */
export const STRATEGIES = Object.freeze({
  rl: RL_STRATEGY,
  evolution: EVOLUTION_STRATEGY,
  random: RANDOM_STRATEGY,
  local: LOCAL_STRATEGY,
  hybrid: HYBRID_STRATEGY,
} satisfies { readonly [N in StrategyName]: EntryFor<N> });

/** The registry of the built-in strategies: what the controller creates, restores and charts with. */
export const STRATEGY_REGISTRY = strategyRegistry(STRATEGIES);

/** The snapshot of any built-in strategy; `name` says which. */
export type StrategySnapshot = ReturnType<typeof STRATEGY_REGISTRY.parseSnapshot>;

/** The dashboard signal of any built-in strategy; `kind` says which. */
export type StrategySignal = ReturnType<ReturnType<typeof STRATEGY_REGISTRY.signal>['signal']>;
