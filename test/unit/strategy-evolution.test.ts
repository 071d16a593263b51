import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDecisions } from '../../shared/decisions.ts';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { tournament } from '../../controller/strategies/evolution.ts';
import {
  createStrategy,
  defaultStrategyConfig,
  type Candidate,
  type EvolutionMeta,
  type EvolutionSnapshot,
  type PopulationMember,
  type Strategy,
  type StrategySnapshot,
} from '../../controller/strategies/strategy.ts';
import { drive, matchReward } from '../fixtures/strategy-driver.ts';

const P = 10;
const S = 3;
const config = { ...defaultStrategyConfig('evolution', 11), population: P, sample: S };

function population(strategy: Strategy<StrategySnapshot>): readonly PopulationMember[] {
  const snapshot = strategy.snapshot();
  if (snapshot.name !== 'evolution') throw new Error('not an evolution snapshot');
  return snapshot.population;
}

function meta(candidate: Candidate): EvolutionMeta {
  return candidate.meta as EvolutionMeta;
}

describe('aging evolution', () => {
  it('fills the population with random samples, then asks for one-mutation children', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const first = Array.from({ length: P }, () => strategy.ask());
    expect(first.every((c) => meta(c).kind === 'random')).toBe(true);
    first.forEach((c, i) => strategy.tell(c, i / 100));
    for (let i = 0; i < 50; i++) {
      const child = strategy.ask();
      const m = meta(child);
      if (m.kind !== 'child') throw new Error(`expected a child, got ${m.kind}`);
      const parent = population(strategy).find((p) => p.id === m.parentId);
      if (parent === undefined) throw new Error(`parent ${m.parentId} is not in the population`);
      const changed = encodeDecisions(child.genotype, DEFAULT_SPACE).filter(
        (d, j) => d !== encodeDecisions(parent.genotype, DEFAULT_SPACE)[j],
      );
      expect(changed.length).toBe(m.mutation.kind === 'identity' ? 0 : 1);
      strategy.tell(child, 0.5);
    }
  });

  it('keeps asking for random samples while results of the first ones are outstanding', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const asked = Array.from({ length: P + 5 }, () => strategy.ask());
    expect(asked.every((c) => meta(c).kind === 'random')).toBe(true);
  });

  it('never exceeds P, appends in tell order and removes the oldest', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const log = drive(strategy, matchReward(DEFAULT_SPACE, 1), {
      trials: 60,
      inFlight: 4,
      orderSeed: 2,
    });
    const told = log.told.map((t) => t.candidate.id);
    const members = population(strategy);
    expect(members.map((m) => m.id)).toEqual(told.slice(-P));
    for (let n = 1; n <= 60; n++) {
      const s = createStrategy(config, DEFAULT_SPACE);
      drive(s, matchReward(DEFAULT_SPACE, 1), { trials: n, inFlight: 4, orderSeed: 2 });
      expect(population(s).map((m) => m.id)).toEqual(told.slice(0, n).slice(-P));
    }
  });

  it('drops failed children without removing anyone', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const initial = Array.from({ length: P }, () => strategy.ask());
    initial.forEach((c) => strategy.tell(c, 0.3));
    const before = population(strategy);
    const child = strategy.ask();
    strategy.tell(child, null);
    expect(population(strategy)).toEqual(before);
    const failedRandom = createStrategy(config, DEFAULT_SPACE);
    failedRandom.tell(failedRandom.ask(), null);
    expect(population(failedRandom)).toEqual([]);
    expect(meta(failedRandom.ask()).kind).toBe('random');
  });

  it('picks the parent with the best reward among S members drawn with replacement', () => {
    const member = (id: number, reward: number): PopulationMember => ({
      id,
      reward,
      genotype: { normal: { blocks: [] }, reduction: { blocks: [] } },
    });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.nat(),
        (rewards, sample, seed) => {
          const members = rewards.map((r, i) => member(i + 1, r));
          const drawn = Array.from(
            { length: sample },
            (() => {
              const rng = createRng(seed);
              return () => members[rng.int(members.length)];
            })(),
          );
          const best = drawn.reduce((a, b) => (b && a && b.reward > a.reward ? b : a));
          expect(tournament(members, sample, createRng(seed))).toBe(best);
        },
      ),
    );
  });

  it('restores population and pending candidates from a snapshot', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    drive(strategy, matchReward(DEFAULT_SPACE, 4), { trials: 25, inFlight: 6, orderSeed: 3 });
    const snapshot = JSON.parse(JSON.stringify(strategy.snapshot())) as EvolutionSnapshot;
    expect(snapshot.population).toHaveLength(P);
    expect(snapshot.pending).toHaveLength(5);
    const restored = createStrategy(config, DEFAULT_SPACE, snapshot);
    expect(restored.snapshot()).toEqual(strategy.snapshot());
  });
});
