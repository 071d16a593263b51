/**
 * Aging evolution in the strategy registry: its snapshot schema and its dashboard signal, the
 * population's reward quartiles after every result. The signal replays the journal the way the
 * strategy keeps its population (evolution.ts): each succeeded result joins it and the oldest leaves
 * beyond `population` members.
 */
import { z } from 'zod';
import { EVOLUTION_CONFIG_SCHEMA } from '../../shared/strategy-config.ts';
import { createEvolutionStrategy, type EvolutionSnapshot } from './evolution.ts';
import { ThinnedPoints, type SignalReplay } from './signal-replay.ts';
import type { StrategyEntry } from './strategy-entry.ts';
import type { EvolutionConfig } from './types.ts';

/** The evolving population's rewards after some number of results. */
export interface PopulationPoint {
  readonly told: number;
  readonly size: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
}

/** Evolution's dashboard signal: the population size limit and its quartiles over time. */
export interface EvolutionSignal {
  readonly kind: 'evolution';
  readonly population: number;
  readonly points: readonly PopulationPoint[];
}

/** Aging evolution's entry in the strategy registry. */
export const EVOLUTION_STRATEGY: StrategyEntry<{
  config: EvolutionConfig;
  snapshot: EvolutionSnapshot;
  signal: EvolutionSignal;
}> = {
  name: 'evolution',
  config: EVOLUTION_CONFIG_SCHEMA,
  snapshot: ({ base, genotype, count }) =>
    z.object({
      name: z.literal('evolution'),
      ...base,
      population: z.array(z.object({ id: count.min(1), genotype, reward: z.number() })),
    }),
  create: createEvolutionStrategy,
  signal: (config) => evolutionReplay(config.population),
};

function evolutionReplay(size: number): SignalReplay<EvolutionSignal> {
  const population: number[] = [];
  const points = new ThinnedPoints<PopulationPoint>();
  let told = 0;
  return {
    tell(result) {
      told += 1;
      if (result.reward !== null) {
        population.push(result.reward);
        while (population.length > size) population.shift();
      }
      if (population.length > 0) points.offer(told, () => spread(told, population));
    },
    signal: () => {
      const latest =
        population.length === 0 ? null : { step: told, make: () => spread(told, population) };
      return { kind: 'evolution', population: size, points: points.list(latest) };
    },
  };
}

/** The population's size and reward quartiles (linear interpolation between ranks). */
export function spread(told: number, rewards: readonly number[]): PopulationPoint {
  const sorted = [...rewards].sort((a, b) => a - b);
  const at = (q: number): number => {
    const pos = q * (sorted.length - 1);
    const lo = sorted[Math.floor(pos)] ?? NaN;
    const hi = sorted[Math.ceil(pos)] ?? NaN;
    return lo + (hi - lo) * (pos - Math.floor(pos));
  };
  return {
    told,
    size: sorted.length,
    min: at(0),
    q1: at(0.25),
    median: at(0.5),
    q3: at(0.75),
    max: at(1),
  };
}
