/**
 * Strategy configs: the paper's defaults and the checks a config must pass before a strategy is
 * built from it.
 */
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import type {
  EvolutionConfig,
  RandomConfig,
  RlConfig,
  StrategyConfig,
  StrategyName,
} from './types.ts';

/** Every strategy name, in the order `--strategy` lists them. */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.freeze([
  'rl',
  'evolution',
  'random',
] as const);

/** Aging evolution's defaults: Real et al. 2019 (P = 100, S = 25, identity 0.05). */
export const EVOLUTION_DEFAULTS = Object.freeze({
  population: 100,
  sample: 25,
  identityProbability: 0.05,
});

/**
 * The RL controller's defaults: NASNet (Zoph et al. 2018) section 4 and appendix A for the LSTM
 * size, learning rate, entropy weight, baseline decay, minibatch and init range; clip 0.2 from the
 * PPO paper. The NASNet paper does not give PPO's epochs per minibatch; 4 is within the PPO paper's
 * range (3-15). On the synthetic reward of the tests, 4 epochs reach with about 800 trials what one
 * epoch reaches with about 1,900, for 4 times the update cost (which is small next to training
 * children; one epoch is REINFORCE with an importance ratio for stale samples).
 */
export const RL_DEFAULTS = Object.freeze({
  lstmUnits: 100,
  learningRate: 0.00035,
  entropyWeight: 1e-5,
  baselineDecay: 0.95,
  batchSize: 20,
  clip: 0.2,
  ppoEpochs: 4,
  algorithm: 'ppo',
  rewardPower: 1,
  initRange: 0.1,
  failureReward: null,
} as const satisfies Omit<RlConfig, 'name' | 'seed'>);

/** The default config of a strategy with the given seed. */
export function defaultStrategyConfig(name: 'rl', seed: number): RlConfig;
export function defaultStrategyConfig(name: 'evolution', seed: number): EvolutionConfig;
export function defaultStrategyConfig(name: 'random', seed: number): RandomConfig;
export function defaultStrategyConfig(name: StrategyName, seed: number): StrategyConfig;
export function defaultStrategyConfig(name: StrategyName, seed: number): StrategyConfig {
  switch (name) {
    case 'rl':
      return Object.freeze({ name, seed, ...RL_DEFAULTS });
    case 'evolution':
      return Object.freeze({ name, seed, ...EVOLUTION_DEFAULTS });
    case 'random':
      return Object.freeze({ name, seed });
  }
}

/** Records a violation at `path` unless `ok`. */
type Need = (ok: boolean, path: string, value: unknown, allowed: string) => void;

/** Throws InvalidValueError listing every option of `config` that is out of range. */
export function checkStrategyConfig(config: StrategyConfig): void {
  const out: Violation[] = [];
  const need: Need = (ok, path, value, allowed) => {
    if (!ok)
      out.push({ path, message: `${JSON.stringify(value)} is out of range; allowed: ${allowed}` });
  };
  need(Number.isSafeInteger(config.seed), 'seed', config.seed, 'a safe integer');
  if (config.name === 'evolution') {
    need(isCount(config.population), 'population', config.population, 'an integer >= 1');
    need(isCount(config.sample), 'sample', config.sample, 'an integer >= 1');
    const p = config.identityProbability;
    need(p >= 0 && p <= 1, 'identityProbability', p, '0..1');
  }
  if (config.name === 'rl') checkRl(config, need);
  if (out.length > 0) throw new InvalidValueError(`${config.name} strategy config`, out);
}

function checkRl(c: RlConfig, need: Need): void {
  need(isCount(c.lstmUnits), 'lstmUnits', c.lstmUnits, 'an integer >= 1');
  need(isPositive(c.learningRate), 'learningRate', c.learningRate, '> 0');
  need(
    isPositive(c.entropyWeight) || c.entropyWeight === 0,
    'entropyWeight',
    c.entropyWeight,
    '>= 0',
  );
  need(
    c.baselineDecay >= 0 && c.baselineDecay < 1,
    'baselineDecay',
    c.baselineDecay,
    '0..1 (1 excluded)',
  );
  need(isCount(c.batchSize), 'batchSize', c.batchSize, 'an integer >= 1');
  need(c.clip > 0 && c.clip < 1, 'clip', c.clip, '0..1 (both excluded)');
  need(isCount(c.ppoEpochs), 'ppoEpochs', c.ppoEpochs, 'an integer >= 1');
  need(
    c.algorithm === 'ppo' || c.algorithm === 'reinforce',
    'algorithm',
    c.algorithm,
    'ppo, reinforce',
  );
  need(c.rewardPower === 1 || c.rewardPower === 3, 'rewardPower', c.rewardPower, '1, 3');
  need(isPositive(c.initRange), 'initRange', c.initRange, '> 0');
  const fr = c.failureReward;
  need(fr === null || Number.isFinite(fr), 'failureReward', fr, 'null or a finite number');
}

function isPositive(x: number): boolean {
  return x > 0 && Number.isFinite(x);
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1;
}
