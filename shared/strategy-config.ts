/**
 * Strategy configs: one schema per strategy, with the published defaults, that every source (the
 * `--strategy-config` file, the strategy flags, the run store) parses with.
 */
import { z } from 'zod';
import { DEFAULT_IDENTITY_PROBABILITY } from './mutate.ts';
import {
  count,
  decimal,
  fields,
  integer,
  oneOf,
  parseWith,
  positive,
  describe as describeValue,
} from './schema.ts';

/** Every strategy name, in the order `--strategy` lists them. */
export const STRATEGY_NAMES = Object.freeze(['rl', 'evolution', 'random'] as const);

/** The search strategies `nas-ctl search --strategy` accepts. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

const seed = integer(0, Number.MAX_SAFE_INTEGER, "seed of the strategy's random numbers");

/** The random-search baseline: only the seed. */
export const RANDOM_CONFIG_SCHEMA = fields(
  { name: z.literal('random'), seed },
  'a random strategy config',
);

/**
 * Aging (regularized) evolution; defaults from Real et al. 2019 (P = 100, S = 25, identity 0.05;
 * see docs/nasnet.md#aging-evolution).
 */
export const EVOLUTION_CONFIG_SCHEMA = fields(
  {
    name: z.literal('evolution'),
    seed,
    population: count('P: models kept alive; the oldest dies when a child is added').default(100),
    sample: count('S: members drawn with replacement per tournament').default(25),
    identityProbability: decimal(
      0,
      1,
      'probability that a child is an unchanged copy of its parent',
    ).default(DEFAULT_IDENTITY_PROBABILITY),
  },
  'an evolution strategy config',
);

const rewardPower = z.union([z.literal(1), z.literal(3)], {
  error: (issue) => `expected 1 or 3, got ${describeValue(issue.input)}`,
});

const failureReward = z.number({
  error: (issue) => `expected a finite number or null, got ${describeValue(issue.input)}`,
});

/**
 * The RL controller. Defaults: NASNet (Zoph et al. 2018) section 4 and appendix A for the LSTM
 * size, learning rate, entropy weight, baseline decay, minibatch and init range; clip 0.2 from the
 * PPO paper. The NASNet paper does not give PPO's epochs per minibatch; 4 is within the PPO paper's
 * range (3-15). On the synthetic reward of the tests, 4 epochs reach with about 800 trials what one
 * epoch reaches with about 1,900, for 4 times the update cost (which is small next to training
 * networks; one epoch is REINFORCE with an importance ratio for stale samples). Each default with its
 * source: docs/nasnet.md#rl-controller.
 */
export const RL_CONFIG_SCHEMA = fields(
  {
    name: z.literal('rl'),
    seed,
    lstmUnits: count('units of the one-layer LSTM, also the token-embedding size').default(100),
    learningRate: positive('Adam learning rate of the controller').default(0.00035),
    entropyWeight: decimal(0, 1e6, 'weight of the entropy bonus').default(1e-5),
    baselineDecay: decimal(0, 1, 'decay of the moving-average reward baseline', {
      max: true,
    }).default(0.95),
    batchSize: count('finished trials per policy update').default(20),
    clip: decimal(0, 1, "PPO's ratio clip epsilon", { min: true, max: true }).default(0.2),
    ppoEpochs: count('optimisation passes over each minibatch (PPO only)').default(4),
    algorithm: oneOf(['ppo', 'reinforce'], 'how advantages become a loss').default('ppo'),
    rewardPower: rewardPower
      .describe('reward = accuracy^rewardPower: 1, or 3 as in NAS-RL')
      .default(1),
    initRange: positive('weights start uniform in [-initRange, initRange]').default(0.1),
    failureReward: failureReward
      .nullable()
      .describe('reward of a failed trial; null leaves failed trials out of the minibatches')
      .default(null),
  },
  'an rl strategy config',
);

/** Any strategy's config; `name` says which, and absent options take their defaults. */
export const STRATEGY_CONFIG_SCHEMA = z.discriminatedUnion(
  'name',
  [RL_CONFIG_SCHEMA, EVOLUTION_CONFIG_SCHEMA, RANDOM_CONFIG_SCHEMA],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected a strategy config {name, seed, ...} with name one of ${STRATEGY_NAMES.join(', ')}`
        : `expected a strategy config object, got ${describeValue(issue.input)}`,
  },
);

/** Options of the random-search baseline. */
export type RandomConfig = Readonly<z.output<typeof RANDOM_CONFIG_SCHEMA>>;
/** Options of aging evolution. */
export type EvolutionConfig = Readonly<z.output<typeof EVOLUTION_CONFIG_SCHEMA>>;
/** Options of the RL controller. */
export type RlConfig = Readonly<z.output<typeof RL_CONFIG_SCHEMA>>;
/** How the RL controller turns advantages into a loss. */
export type RlAlgorithm = RlConfig['algorithm'];
/** A fully resolved strategy config. */
export type StrategyConfig = RandomConfig | EvolutionConfig | RlConfig;

/** The schema of one strategy's config, for its flags and `--help`. */
export const STRATEGY_SCHEMAS = Object.freeze({
  rl: RL_CONFIG_SCHEMA,
  evolution: EVOLUTION_CONFIG_SCHEMA,
  random: RANDOM_CONFIG_SCHEMA,
} satisfies Record<StrategyName, z.ZodObject>);

/** Parses a strategy config; absent options take their defaults. Throws InvalidValueError listing every problem. */
export function parseStrategyConfig(value: unknown): StrategyConfig {
  return parseWith(STRATEGY_CONFIG_SCHEMA, value, 'strategy config');
}

/** The default config of a strategy with the given seed. */
export function defaultStrategyConfig(name: 'rl', seed: number): RlConfig;
export function defaultStrategyConfig(name: 'evolution', seed: number): EvolutionConfig;
export function defaultStrategyConfig(name: 'random', seed: number): RandomConfig;
export function defaultStrategyConfig(name: StrategyName, seed: number): StrategyConfig;
export function defaultStrategyConfig(name: StrategyName, seed: number): StrategyConfig {
  return parseStrategyConfig({ name, seed });
}
