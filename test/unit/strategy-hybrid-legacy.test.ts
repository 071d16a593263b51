/**
 * A hybrid run stored before the hybrid's staged start and uniform mutations (2026-12-08) must
 * resume as it searched: its stored config (every option of its day, defaults filled in) is read
 * with the old behaviour for the options added since, not their new defaults. The golden digest is
 * of the candidates the hybrid of that day (commit 8216a51) asked, driven exactly as below.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ADDITIVE_LANDSCAPE } from '../../bench/search/additive-landscape.ts';
import { decodeConfig } from '../../controller/store/row-codec.ts';
import { createStrategy } from '../../controller/strategies/strategy.ts';
import { encodeDecisions } from '../../shared/decisions.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { parseStrategyConfig, storedStrategyConfig } from '../../shared/strategy-config.ts';
import { drive } from '../fixtures/strategy-driver.ts';

/** A hybrid config as a run of that day stored it (a small policy keeps the test fast). */
const STORED = {
  name: 'hybrid',
  seed: 11,
  population: 12,
  sample: 4,
  mutationRate: 0.02,
  pqtSize: 4,
  lstmUnits: 8,
  learningRate: 0.003,
  entropyWeight: 0.00001,
  baselineDecay: 0.95,
  batchSize: 5,
  clip: 0.2,
  ppoEpochs: 4,
  algorithm: 'ppo',
  initRange: 0.1,
};

/** sha256 of the 42 candidates' decisions (one line each, `.`-joined) the old hybrid asked. */
const OLD_HYBRID_DIGEST = '5230970606a92211d8c3eecc25cd887610e8c59dceafecf1546d84021aa3c9f8';

function askedDigest(config: unknown): string {
  const additive = ADDITIVE_LANDSCAPE.create(DEFAULT_SPACE, 5);
  const strategy = createStrategy(parseStrategyConfig(config), DEFAULT_SPACE);
  const log = drive(strategy, (g) => additive.value(encodeDecisions(g, DEFAULT_SPACE)), {
    trials: 40,
    inFlight: 3,
    orderSeed: 2,
  });
  const lines = log.asked.map((c) => encodeDecisions(c.genotype, DEFAULT_SPACE).join('.'));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

describe('a hybrid run stored before the staged start', () => {
  it('reads the added options as the old behaviour: tournaments once the population is full', () => {
    expect(parseStrategyConfig(storedStrategyConfig(STORED))).toMatchObject({
      population: 12,
      warmup: 12,
      uniformMutations: 0,
      mutationSlots: 'uniform',
    });
  });

  it('asks the same candidates as the hybrid of its day', () => {
    expect(askedDigest(storedStrategyConfig(STORED))).toBe(OLD_HYBRID_DIGEST);
  });

  it('is read so from the run store, and a run that stores the new options keeps them', () => {
    const row = (strategy: object) => ({
      schema_version: 1,
      created_at: 0,
      config: JSON.stringify({
        strategy: 'hybrid',
        seed: 11,
        space: DEFAULT_SPACE,
        settings: { strategy },
      }),
    });
    expect(decodeConfig('/runs/old', row(STORED)).settings['strategy']).toMatchObject({
      warmup: 12,
    });
    const current = { ...STORED, warmup: 5, uniformMutations: 1, mutationSlots: 'policy' };
    expect(decodeConfig('/runs/new', row(current)).settings['strategy']).toEqual(current);
  });
});
