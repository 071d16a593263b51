import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../shared/errors.ts';
import { DEFAULT_SPACE, NASNET_SPACE } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import {
  InvalidRewardError,
  SnapshotMismatchError,
  UnknownCandidateError,
  createStrategy,
  defaultStrategyConfig,
  parseStrategySnapshot,
  type Candidate,
  type StrategyConfig,
  type StrategySnapshot,
} from '../../controller/strategies/strategy.ts';
import { drive, matchReward } from '../fixtures/strategy-driver.ts';

// Small policy settings keep the updates fast; the defaults are exercised in strategy-rl.test.ts
// and strategy-hybrid.test.ts.
const EVOLUTION: StrategyConfig = {
  ...defaultStrategyConfig('evolution', 7),
  population: 12,
  sample: 4,
};
const CONFIGS: readonly StrategyConfig[] = [
  defaultStrategyConfig('random', 7),
  EVOLUTION,
  { ...defaultStrategyConfig('rl', 7), lstmUnits: 8, batchSize: 5, learningRate: 0.01 },
  defaultStrategyConfig('local', 7),
  {
    ...defaultStrategyConfig('hybrid', 7),
    population: 12,
    sample: 4,
    lstmUnits: 8,
    batchSize: 5,
    learningRate: 0.01,
  },
];

const reward = matchReward(DEFAULT_SPACE, 3);
const failEveryFifth = (c: Candidate): number | null =>
  c.id % 5 === 0 ? null : reward(c.genotype, c);

/** Runs `trials` results with 4 in flight; every fifth candidate fails. */
function run(config: StrategyConfig, trials: number, snapshot?: StrategySnapshot) {
  const strategy = createStrategy(config, DEFAULT_SPACE, snapshot);
  const log = drive(strategy, (_g, c) => failEveryFifth(c), { trials, inFlight: 4, orderSeed: 9 });
  return { strategy, log };
}

/** A snapshot after a trip through JSON and the snapshot parser, as the run store keeps it. */
function viaJson(snapshot: StrategySnapshot): StrategySnapshot {
  return parseStrategySnapshot(JSON.parse(JSON.stringify(snapshot)), DEFAULT_SPACE);
}

describe.each(CONFIGS)('$name strategy', (config) => {
  it('asks for candidates that parse in the space, with sequential ids from 1', () => {
    for (const space of [DEFAULT_SPACE, NASNET_SPACE]) {
      const strategy = createStrategy(config, space);
      const asked = drive(strategy, () => 0.5, { trials: 30, inFlight: 6, orderSeed: 1 }).asked;
      asked.forEach((c, i) => {
        expect(c.id).toBe(i + 1);
        expect(parseGenotype(c.genotype, space)).toEqual(c.genotype);
        expect(JSON.parse(JSON.stringify(c))).toEqual(c);
      });
    }
  });

  it('is deterministic: the same seed and results give the same candidates', () => {
    const a = run(config, 40).log.asked;
    const b = run(config, 40).log.asked;
    expect(b).toEqual(a);
    const other = run({ ...config, seed: 8 }, 40).log.asked;
    expect(other.map((c) => c.genotype)).not.toEqual(a.map((c) => c.genotype));
  });

  it('continues exactly from a JSON snapshot taken with candidates in flight', () => {
    const { strategy } = run(config, 23);
    expect(strategy.pending()).toHaveLength(3);
    const restored = createStrategy(config, DEFAULT_SPACE, viaJson(strategy.snapshot()));
    expect(restored.pending()).toEqual(strategy.pending());
    for (const s of [strategy, restored]) {
      for (const c of s.pending()) s.tell(c, failEveryFifth(c));
    }
    const next = (s: typeof strategy): Candidate[] =>
      drive(s, (_g, c) => failEveryFifth(c), { trials: 30, inFlight: 4, orderSeed: 5 }).asked;
    expect(next(restored)).toEqual(next(strategy));
    expect(restored.snapshot()).toEqual(strategy.snapshot());
  });

  it('tracks pending candidates and refuses unknown, repeated or non-finite results', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const [a, b] = [strategy.ask(), strategy.ask()];
    expect(strategy.pending().map((c) => c.id)).toEqual([1, 2]);
    expect(() => strategy.tell(b, Number.NaN)).toThrow(InvalidRewardError);
    strategy.tell(b, 0.5);
    expect(strategy.pending()).toEqual([a]);
    expect(() => strategy.tell(b, 0.5)).toThrow(UnknownCandidateError);
    expect(() => strategy.tell({ ...a, id: 99 }, 0.5)).toThrow(UnknownCandidateError);
    strategy.tell(a, null);
    expect(strategy.pending()).toEqual([]);
  });
});

describe('createStrategy', () => {
  it('refuses a snapshot of another strategy', () => {
    const random = createStrategy(defaultStrategyConfig('random', 1), DEFAULT_SPACE);
    expect(() =>
      createStrategy(defaultStrategyConfig('evolution', 1), DEFAULT_SPACE, random.snapshot()),
    ).toThrow(SnapshotMismatchError);
  });

  it('refuses an RL snapshot of another shape', () => {
    const config = { ...defaultStrategyConfig('rl', 1), lstmUnits: 4 };
    const snapshot = createStrategy(config, DEFAULT_SPACE).snapshot();
    expect(() => createStrategy({ ...config, lstmUnits: 5 }, DEFAULT_SPACE, snapshot)).toThrow(
      /params\.embedding has 96 values; .* need 120/,
    );
  });

  it('parses stored snapshots, listing every problem with its path', () => {
    const strategy = createStrategy(EVOLUTION, DEFAULT_SPACE);
    drive(strategy, () => 0.5, { trials: 14, inFlight: 3, orderSeed: 1 });
    const good: unknown = JSON.parse(JSON.stringify(strategy.snapshot()));
    expect(parseStrategySnapshot(good, DEFAULT_SPACE)).toEqual(strategy.snapshot());
    const bad = JSON.parse(JSON.stringify(strategy.snapshot())) as Record<string, unknown>;
    bad.rng = [1, 2, 3, -4];
    expect(() => parseStrategySnapshot(bad, DEFAULT_SPACE)).toThrow(/rng\[3\]/);
    const badGenotype = JSON.parse(JSON.stringify(strategy.snapshot())) as {
      population: { genotype: { normal: { blocks: { opA: string }[] } } }[];
    };
    const block = badGenotype.population[2]?.genotype.normal.blocks[1];
    if (block) block.opA = 'sep_9x9';
    expect(() => parseStrategySnapshot(badGenotype, DEFAULT_SPACE)).toThrow(
      /population\[2\]\.genotype\.normal\.blocks\[1\]\.opA: unknown op "sep_9x9"/,
    );
    expect(() => parseStrategySnapshot({ name: 'annealing' }, DEFAULT_SPACE)).toThrow(
      InvalidValueError,
    );
  });

  it('lists every out-of-range option with its path', () => {
    const bad = { ...defaultStrategyConfig('rl', 1), lstmUnits: 0, clip: 1.5, batchSize: 2.5 };
    expect(() => createStrategy(bad, DEFAULT_SPACE)).toThrow(InvalidValueError);
    expect(() => createStrategy(bad, DEFAULT_SPACE)).toThrow(
      /lstmUnits: expected a positive integer.*got number 0\n[\s\S]*batchSize: .*got number 2.5\n[\s\S]*clip: expected a number in 0..1 \(0 and 1 excluded\).*got number 1.5/,
    );
    const evo = { ...defaultStrategyConfig('evolution', 1), population: 0, sample: -1 };
    expect(() => createStrategy(evo, DEFAULT_SPACE)).toThrow(/population[\s\S]*sample/);
  });

  it("has the papers' defaults, but for rl's measured learning rate and priority queue", () => {
    expect(defaultStrategyConfig('evolution', 1)).toMatchObject({ population: 100, sample: 25 });
    expect(defaultStrategyConfig('rl', 1)).toMatchObject({
      lstmUnits: 100,
      learningRate: 0.003,
      pqtSize: 20,
      entropyWeight: 1e-5,
      baselineDecay: 0.95,
      batchSize: 20,
      clip: 0.2,
      algorithm: 'ppo',
      rewardPower: 1,
      initRange: 0.1,
    });
  });
});
