/**
 * One schema per value: the same bad value gets the same message, at the same path below its
 * parent, whether it enters as a trial request (CLI file, wire), as stored search settings or as a
 * network size; strategy configs take their defaults and reject every bad option with its path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { parseNetworkSettings, parseNetworkSize } from '../../shared/network-settings.ts';
import { parseSearchSettings } from '../../shared/search-settings.ts';
import {
  defaultStrategyConfig,
  parseStrategyConfig,
  STRATEGY_NAMES,
  STRATEGY_SCHEMAS,
} from '../../shared/strategy-config.ts';
import { fieldInfo } from '../../shared/field-info.ts';
import { DEFAULT_TRAINING, parseTrainingSettings } from '../../shared/training-settings.ts';
import { parseTrialRequest } from '../../shared/trial-request.ts';

function violations(run: () => unknown): Violation[] {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidValueError) return [...err.violations];
    throw err;
  }
  throw new Error('expected an InvalidValueError');
}

const NETWORK = { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false };
const SEARCH = {
  strategy: defaultStrategyConfig('evolution', 3),
  maxTrials: 10,
  dataset: 'synthetic',
  network: NETWORK,
  training: DEFAULT_TRAINING,
  rewardEpochs: 5,
  reuseDuplicates: true,
  maxAttempts: 3,
  snapshotEvery: 20,
  medianStop: null,
};
const REQUEST = { genotype: NASNET_A, network: NETWORK, training: {}, dataset: 'synthetic' };

/** The violation at `path`, with the path made relative to `under`. */
function at(found: readonly Violation[], path: string): string | undefined {
  return found.find((v) => v.path === path)?.message;
}

describe('one schema per value', () => {
  it('gives a bad network field the same message from a trial request, stored settings and N@F', () => {
    const bad = { ...NETWORK, filters: 50 };
    const fromRequest = at(
      violations(() => parseTrialRequest({ ...REQUEST, network: bad })),
      'network.filters',
    );
    const fromStore = at(
      violations(() => parseSearchSettings({ ...SEARCH, network: bad }, 'runs/x')),
      'network.filters',
    );
    const fromSize = at(
      violations(() => parseNetworkSize('1@50')),
      'filters',
    );
    const fromPlan = at(
      violations(() => parseNetworkSettings({ ...bad, imageSize: 32, classes: 10 })),
      'filters',
    );
    expect(fromRequest).toMatch(/^expected a multiple of 24 in 24..8064 .*got number 50$/);
    expect([fromStore, fromSize, fromPlan]).toEqual([fromRequest, fromRequest, fromRequest]);
  });

  it('gives a bad training setting the same message alone and inside a request or settings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          { epochs: 0 },
          { momentum: 2 },
          { augmentFlip: 'yes' },
          { batchSize: 1.5 },
          { epoch: 3 },
        ),
        (patch) => {
          const [alone] = violations(() => parseTrainingSettings(patch));
          const inRequest = violations(() => parseTrialRequest({ ...REQUEST, training: patch }));
          const inSearch = violations(() =>
            parseSearchSettings({ ...SEARCH, training: { ...DEFAULT_TRAINING, ...patch } }, 'r'),
          );
          expect(alone).toBeDefined();
          for (const found of [inRequest, inSearch]) {
            expect(found).toContainEqual({
              path: `training.${alone?.path}`,
              message: alone?.message,
            });
          }
        },
      ),
    );
  });

  it('names an unknown field with the closest allowed one', () => {
    const [v] = violations(() => parseTrainingSettings({ learningRat: 0.1 }));
    expect(v?.path).toBe('learningRat');
    expect(v?.message).toMatch(/^unexpected field "learningRat" \(did you mean "learningRate"\?\)/);
  });
});

describe('strategy configs', () => {
  it('fill in the published defaults from the name and seed alone', () => {
    expect(defaultStrategyConfig('evolution', 7)).toEqual({
      name: 'evolution',
      seed: 7,
      population: 100,
      sample: 25,
      identityProbability: 0.05,
    });
    const rl = defaultStrategyConfig('rl', 1);
    expect([rl.lstmUnits, rl.learningRate, rl.entropyWeight, rl.baselineDecay]).toEqual([
      100, 0.003, 1e-5, 0.95,
    ]);
    expect(rl.pqtSize).toBe(20);
    expect([rl.batchSize, rl.clip, rl.initRange, rl.failureReward]).toEqual([20, 0.2, 0.1, null]);
  });

  it('round-trip through JSON for any valid options', () => {
    const evolution = fc.record({
      name: fc.constant('evolution' as const),
      seed: fc.nat(),
      population: fc.integer({ min: 1, max: 1000 }),
      sample: fc.integer({ min: 1, max: 1000 }),
      identityProbability: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(evolution, (config) => {
        const parsed = parseStrategyConfig(JSON.parse(JSON.stringify(config)));
        expect(parsed).toEqual(JSON.parse(JSON.stringify(config)));
        expect(Object.isFrozen(parsed)).toBe(true);
      }),
    );
  });

  it('reject every bad option with its path, and an option of another strategy', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ name: 'evolution', seed: 1, population: 0 }, 'population'],
      [{ name: 'evolution', seed: 1, identityProbability: 1.5 }, 'identityProbability'],
      [{ name: 'rl', seed: 1, clip: 1 }, 'clip'],
      [{ name: 'rl', seed: 1, baselineDecay: 1 }, 'baselineDecay'],
      [{ name: 'rl', seed: 1, rewardPower: 2 }, 'rewardPower'],
      [{ name: 'rl', seed: 1, algorithm: 'a2c' }, 'algorithm'],
      [{ name: 'rl', seed: 1, failureReward: Number.POSITIVE_INFINITY }, 'failureReward'],
      [{ name: 'rl', seed: -1 }, 'seed'],
      [{ name: 'random', seed: 1, population: 5 }, 'population'],
      [{ name: 'evolve', seed: 1 }, 'name'],
    ];
    for (const [config, path] of bad) {
      expect(violations(() => parseStrategyConfig(config)).map((v) => v.path)).toEqual([path]);
    }
  });

  it('describe every option of every strategy for its flag', () => {
    for (const name of STRATEGY_NAMES) {
      for (const info of fieldInfo(STRATEGY_SCHEMAS[name])) {
        if (info.key === 'name') continue;
        expect(info.doc, `${name}.${info.key}`).not.toBe('');
      }
    }
  });
});
