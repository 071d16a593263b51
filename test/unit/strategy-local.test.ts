import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADDITIVE_LANDSCAPE } from '../../bench/search/additive-landscape.ts';
import { decisionSlots, encodeDecisions } from '../../shared/decisions.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_SPACE, NASNET_SPACE } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { createLocalStrategy, neighbourOrder } from '../../controller/strategies/local.ts';
import {
  SnapshotMismatchError,
  UnknownCandidateError,
  createStrategy,
  defaultStrategyConfig,
  parseStrategySnapshot,
  type Candidate,
} from '../../controller/strategies/strategy.ts';
import { bestSoFar, drive } from '../fixtures/strategy-driver.ts';

const config = defaultStrategyConfig('local', 5);
const META = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }),
  z.object({
    kind: z.literal('neighbour'),
    parentId: z.number(),
    move: z.object({ slot: z.number(), choice: z.number() }),
  }),
]);
const metaOf = (c: Candidate): z.infer<typeof META> => META.parse(c.meta);
const decisionsOf = (c: Candidate): number[] => encodeDecisions(c.genotype, DEFAULT_SPACE);
const differing = (a: readonly number[], b: readonly number[]): number =>
  a.filter((d, i) => d !== b[i]).length;
const additive = ADDITIVE_LANDSCAPE.create(DEFAULT_SPACE, 3);
const value = (g: Genotype): number => additive.value(encodeDecisions(g, DEFAULT_SPACE));

describe('local search', () => {
  it('asks for valid genotypes with sequential ids, under any seed, with results or without', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(DEFAULT_SPACE, NASNET_SPACE), (seed, space) => {
        const strategy = createStrategy({ ...config, seed, init: 3, neighbours: 20 }, space);
        const log = drive(strategy, () => createRng(seed).next(), {
          trials: 40,
          inFlight: 5,
          orderSeed: seed,
        });
        const idle = Array.from({ length: 30 }, () => strategy.ask());
        [...log.asked, ...idle].forEach((c, i) => {
          expect(c.id).toBe(i + 1);
          expect(parseGenotype(c.genotype, space)).toEqual(c.genotype);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('starts from the best of init samples and asks for its neighbours, each once', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const first = Array.from({ length: 10 }, () => strategy.ask());
    expect(first.map((c) => metaOf(c).kind)).toEqual(Array(10).fill('random'));
    first.forEach((c, i) => strategy.tell(c, i === 6 ? 0.9 : 0.1 + i / 100));
    const best = first[6];
    if (best === undefined) throw new Error('no init sample 7');
    const slots = decisionSlots(DEFAULT_SPACE);
    const size = slots.reduce((sum, s) => sum + s.choices - 1, 0);
    const neighbours = Array.from({ length: size }, () => strategy.ask());
    for (const n of neighbours) {
      expect(metaOf(n)).toMatchObject({ kind: 'neighbour', parentId: best.id });
      expect(differing(decisionsOf(n), decisionsOf(best))).toBe(1);
    }
    expect(new Set(neighbours.map((n) => decisionsOf(n).join())).size).toBe(size);
    // The whole neighbourhood is in flight: further asks are random samples until it is back.
    expect(metaOf(strategy.ask()).kind).toBe('random');
  });

  it('moves to the first better neighbour, and never straight back', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const first = Array.from({ length: 10 }, () => strategy.ask());
    first.forEach((c) => strategy.tell(c, 0.5));
    const [a, b] = [strategy.ask(), strategy.ask()];
    if (a === undefined || b === undefined) throw new Error('no neighbours');
    strategy.tell(b, 0.6);
    const next = Array.from({ length: 40 }, () => strategy.ask());
    const start = first[0];
    if (start === undefined) throw new Error('no start');
    for (const n of next) {
      expect(metaOf(n)).toMatchObject({ kind: 'neighbour', parentId: b.id });
      expect(differing(decisionsOf(n), decisionsOf(b))).toBe(1);
      expect(decisionsOf(n)).not.toEqual(decisionsOf(start));
    }
    // A late result of the old incumbent's neighbour that is not better changes nothing.
    strategy.tell(a, 0.55);
    expect(metaOf(strategy.ask())).toMatchObject({ parentId: b.id });
  });

  it('restarts from a random sample once a neighbourhood is used up without a better one', () => {
    const strategy = createLocalStrategy({ ...config, init: 2, neighbours: 3 }, DEFAULT_SPACE);
    for (const c of [strategy.ask(), strategy.ask()]) strategy.tell(c, 0.7);
    const tried = [strategy.ask(), strategy.ask(), strategy.ask()];
    expect(tried.map((c) => metaOf(c).kind)).toEqual(['neighbour', 'neighbour', 'neighbour']);
    const waiting = strategy.ask();
    expect(metaOf(waiting).kind).toBe('random');
    expect(strategy.snapshot().incumbent).not.toBeNull();
    tried.forEach((c) => strategy.tell(c, 0.4));
    const restart = strategy.ask();
    expect(metaOf(restart).kind).toBe('random');
    expect(strategy.snapshot().incumbent).toBeNull();
    strategy.tell(restart, 0.2);
    expect(strategy.snapshot().incumbent).toMatchObject({ id: restart.id, reward: 0.2 });
    expect(metaOf(strategy.ask())).toMatchObject({ kind: 'neighbour', parentId: restart.id });
  });

  it('orders a neighbourhood by a seeded shuffle and leaves out the move back', () => {
    const choices = [2, 3, 4];
    const all = neighbourOrder([0, 0, 0], choices, createRng(1));
    expect(all).toHaveLength(1 + 2 + 3);
    expect(neighbourOrder([0, 0, 0], choices, createRng(1))).toEqual(all);
    const back = neighbourOrder([0, 0, 0], choices, createRng(1), { slot: 2, choice: 3 });
    expect(back).toHaveLength(5);
    expect(back).not.toContainEqual({ slot: 2, choice: 3 });
  });

  it('improves on its initial best within 150 results of an additive landscape', () => {
    for (const seed of [1, 2, 3]) {
      const strategy = createStrategy({ ...config, seed }, DEFAULT_SPACE);
      const best = bestSoFar(drive(strategy, value, { trials: 150, inFlight: 4, orderSeed: seed }));
      expect(best[149]).toBeGreaterThan((best[9] ?? 1) + 0.1);
    }
  });

  it('continues exactly from a JSON snapshot taken mid-search with candidates in flight', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    drive(strategy, value, { trials: 37, inFlight: 5, orderSeed: 2 });
    const stored = parseStrategySnapshot(
      JSON.parse(JSON.stringify(strategy.snapshot())),
      DEFAULT_SPACE,
    );
    const restored = createStrategy(config, DEFAULT_SPACE, stored);
    expect(restored.snapshot()).toEqual(strategy.snapshot());
    const next = (s: typeof strategy): Candidate[] =>
      drive(s, value, { trials: 50, inFlight: 5, orderSeed: 4 }).asked;
    expect(next(restored)).toEqual(next(strategy));
  });

  it('refuses unknown results and snapshots that do not fit the space', () => {
    const strategy = createLocalStrategy(config, DEFAULT_SPACE);
    const c = strategy.ask();
    expect(() => strategy.tell({ ...c, id: 7 }, 0.5)).toThrow(UnknownCandidateError);
    strategy.tell(c, 0.5);
    expect(() => strategy.tell(c, 0.5)).toThrow(UnknownCandidateError);
    const snapshot = { ...strategy.snapshot(), untried: [{ slot: 0, choice: 9 }] };
    expect(() => createLocalStrategy(config, DEFAULT_SPACE, snapshot)).toThrow(
      SnapshotMismatchError,
    );
    const short = { ...strategy.snapshot(), incumbent: { id: 1, decisions: [0], reward: 0.5 } };
    expect(() => createLocalStrategy(config, DEFAULT_SPACE, short)).toThrow(/incumbent/);
  });
});
