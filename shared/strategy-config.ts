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
 * size, entropy weight, baseline decay, minibatch and init range; clip 0.2 from the PPO paper. Two
 * defaults differ from the paper, for the budgets of hundreds to a few thousand trials this tool
 * serves (the paper trained about 20,000 children): a learning rate of 0.003 (the paper's 0.00035
 * barely moves the policy in 50 updates) and priority-queue training of the 20 best cells
 * (Abolafia et al. 2018, as in Evo-NAS), each measured by bench:search. The NASNet paper does not give PPO's epochs per minibatch; 4 is within the PPO paper's
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
    learningRate: positive(
      'Adam learning rate of the controller (the paper: 0.00035, over about 20,000 children)',
    ).default(0.003),
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
    pqtSize: integer(
      0,
      10_000,
      'best cells seen that each policy update also imitates (0: none, as in the paper)',
    ).default(20),
    failureReward: failureReward
      .nullable()
      .describe('reward of a failed trial; null leaves failed trials out of the minibatches')
      .default(null),
  },
  'an rl strategy config',
);

/**
 * Local search (White et al. 2020, "Local search is state of the art for NAS benchmarks"): first
 * improvement over the one-decision neighbourhood of the best cell so far. `init` 10 is that paper's.
 */
export const LOCAL_CONFIG_SCHEMA = fields(
  {
    name: z.literal('local'),
    seed,
    init: count('random samples whose best starts the search').default(10),
    neighbours: count(
      'most neighbours tried around one cell before a restart; a random subset of a larger neighbourhood',
    ).default(1000),
  },
  'a local strategy config',
);

/**
 * Evo-NAS (Maziarz et al. 2018): aging evolution whose mutations the RL policy samples. Tournament
 * and policy options are evolution's and the RL controller's; `mutationRate` 0.02 is one
 * re-sampled decision per child in the 5-block spaces (2 x 5 x 5 decisions). Three defaults are
 * this tool's, measured by bench:search: tournaments from the 20th result (`warmup`), a population
 * of 30, and one uniform mutation per child beside the policy's. Each default with its reason:
 * docs/strategies.md#hybrid.
 */
export const HYBRID_CONFIG_SCHEMA = fields(
  {
    name: z.literal('hybrid'),
    seed,
    population: count('P: cells kept alive; the oldest dies when a child joins').default(30),
    sample: EVOLUTION_CONFIG_SCHEMA.shape.sample,
    mutationRate: decimal(
      0,
      1,
      "probability that a child's decision is re-sampled from the policy (at least one always is)",
    ).default(0.02),
    warmup: count(
      'results before the first tournament; the population keeps growing to `population` after it',
    ).default(20),
    mutationSlots: oneOf(
      ['uniform', 'policy'],
      "which decisions a child re-samples: uniformly, or weighted by the policy's probability of another choice",
    ).default('uniform'),
    uniformMutations: integer(
      0,
      100,
      'decisions of each child re-sampled uniformly, besides the policy-sampled ones',
    ).default(1),
    pqtSize: RL_CONFIG_SCHEMA.shape.pqtSize,
    lstmUnits: RL_CONFIG_SCHEMA.shape.lstmUnits,
    learningRate: RL_CONFIG_SCHEMA.shape.learningRate,
    entropyWeight: RL_CONFIG_SCHEMA.shape.entropyWeight,
    baselineDecay: RL_CONFIG_SCHEMA.shape.baselineDecay,
    batchSize: RL_CONFIG_SCHEMA.shape.batchSize,
    clip: RL_CONFIG_SCHEMA.shape.clip,
    ppoEpochs: RL_CONFIG_SCHEMA.shape.ppoEpochs,
    algorithm: RL_CONFIG_SCHEMA.shape.algorithm,
    initRange: RL_CONFIG_SCHEMA.shape.initRange,
  },
  'a hybrid strategy config',
);

/** Options of the random-search baseline. */
export type RandomConfig = Readonly<z.output<typeof RANDOM_CONFIG_SCHEMA>>;
/** Options of aging evolution. */
export type EvolutionConfig = Readonly<z.output<typeof EVOLUTION_CONFIG_SCHEMA>>;
/** Options of the RL controller. */
export type RlConfig = Readonly<z.output<typeof RL_CONFIG_SCHEMA>>;
/** Options of local search. */
export type LocalConfig = Readonly<z.output<typeof LOCAL_CONFIG_SCHEMA>>;
/** Options of the Evo-NAS hybrid. */
export type HybridConfig = Readonly<z.output<typeof HYBRID_CONFIG_SCHEMA>>;
/** How the RL controller turns advantages into a loss. */
export type RlAlgorithm = RlConfig['algorithm'];

/**
 * Every strategy's config schema by name, in the order `--strategy` lists them: the one table a new
 * strategy joins here. Names, the config union and its type follow from it; a schema whose `name`
 * is not its key does not compile.
 */
export const STRATEGY_SCHEMAS = Object.freeze(
  namedSchemas({
    rl: RL_CONFIG_SCHEMA,
    evolution: EVOLUTION_CONFIG_SCHEMA,
    random: RANDOM_CONFIG_SCHEMA,
    local: LOCAL_CONFIG_SCHEMA,
    hybrid: HYBRID_CONFIG_SCHEMA,
  }),
);

/** The search strategies `nas-ctl search --strategy` accepts. */
export type StrategyName = keyof typeof STRATEGY_SCHEMAS;

/** The resolved config of the strategy `N`. */
export type StrategyConfigOf<N extends StrategyName> = Readonly<
  z.output<(typeof STRATEGY_SCHEMAS)[N]>
>;

/** A fully resolved strategy config. */
export type StrategyConfig = { [N in StrategyName]: StrategyConfigOf<N> }[StrategyName];

/** Every strategy name, in the order `--strategy` lists them. */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.freeze(
  Object.keys(STRATEGY_SCHEMAS).filter(isStrategyName),
);

/** The strategy `nas-ctl search` runs without `--strategy`. */
export const DEFAULT_STRATEGY: StrategyName = 'rl';

/** Whether `name` is a strategy's. */
export function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(STRATEGY_SCHEMAS, name);
}

/** Any strategy's config; `name` says which, and absent options take their defaults. */
export const STRATEGY_CONFIG_SCHEMA = z.discriminatedUnion(
  'name',
  nonEmpty(Object.values(STRATEGY_SCHEMAS)),
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected a strategy config {name, seed, ...} with name one of ${STRATEGY_NAMES.join(', ')}`
        : `expected a strategy config object, got ${describeValue(issue.input)}`,
  },
);

/** Parses a strategy config; absent options take their defaults. Throws InvalidValueError listing every problem. */
export function parseStrategyConfig(value: unknown): StrategyConfig {
  return parseWith(STRATEGY_CONFIG_SCHEMA, value, 'strategy config');
}

/** The default config of strategy `name` with the given seed. */
export function defaultStrategyConfig<N extends StrategyName>(
  name: N,
  seed: number,
): StrategyConfigOf<N>;
export function defaultStrategyConfig(name: StrategyName, seed: number): StrategyConfig {
  // The union picks the schema `name` names, so the result is that strategy's config.
  return parseStrategyConfig({ name, seed });
}

/** `table`, checked: each schema's `name` is its key. */
function namedSchemas<T extends { readonly [N in keyof T]: z.ZodType<{ name: N; seed: number }> }>(
  table: T,
): T {
  return table;
}

/** `items` as the non-empty tuple zod's unions take. */
function nonEmpty<T>(items: readonly T[]): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new RangeError('expected at least one strategy schema');
  return [first, ...rest];
}

/**
 * A strategy config as a run stored it, with the options added since given the values that
 * reproduce how that run searched, not their new defaults, so `--resume` continues it exactly. A
 * run stores its config whole (every option, defaults filled in), so a missing option means the
 * run predates it. The hybrid's staged start, uniform mutations and mutation slots (2026-12-08):
 * before them its tournaments began once the population was full, and no decision was re-sampled
 * uniformly.
 */
export function storedStrategyConfig(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const stored: Readonly<Record<string, unknown>> = { ...value };
  if (stored['name'] !== 'hybrid' || 'warmup' in stored) return stored;
  const population = stored['population'] ?? 100;
  return {
    ...stored,
    population,
    warmup: population,
    uniformMutations: 0,
    mutationSlots: 'uniform',
  };
}
