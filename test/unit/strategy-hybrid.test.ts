import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADDITIVE_LANDSCAPE } from '../../bench/search/additive-landscape.ts';
import { decisionSlots, encodeDecisions } from '../../shared/decisions.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_SPACE, NASNET_SPACE } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { createHybridStrategy } from '../../controller/strategies/hybrid/hybrid-strategy.ts';
import {
  mutateSequence,
  mutatedSlots,
  pickOther,
} from '../../controller/strategies/hybrid/policy-mutation.ts';
import { initParams, policyLayout } from '../../controller/strategies/rl/policy-layout.ts';
import { samplerWeights, sequenceLogProb } from '../../controller/strategies/rl/sampler.ts';
import {
  STRATEGY_REGISTRY,
  UnknownCandidateError,
  createStrategy,
  defaultStrategyConfig,
  parseStrategySnapshot,
  type Candidate,
} from '../../controller/strategies/strategy.ts';
import { bestSoFar, drive } from '../fixtures/strategy-driver.ts';

// A small policy and population keep the updates and the tests fast. What every strategy must do
// (valid asks, determinism, exact resume, pending checks) is in strategy-common.test.ts.
const config = {
  ...defaultStrategyConfig('hybrid', 3),
  population: 8,
  sample: 3,
  lstmUnits: 8,
  batchSize: 5,
  learningRate: 0.01,
  pqtSize: 4,
};
const META = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), decisions: z.array(z.number()), logp: z.number() }),
  z.object({
    kind: z.literal('child'),
    parentId: z.number(),
    mutated: z.array(z.number()),
    decisions: z.array(z.number()),
    logp: z.number(),
  }),
]);
const metaOf = (c: Candidate): z.infer<typeof META> => META.parse(c.meta);
const additive = ADDITIVE_LANDSCAPE.create(DEFAULT_SPACE, 5);
const value = (g: Genotype): number => additive.value(encodeDecisions(g, DEFAULT_SPACE));

describe('the Evo-NAS hybrid', () => {
  it('asks for valid genotypes with sequential ids under any seed', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(DEFAULT_SPACE, NASNET_SPACE), (seed, space) => {
        const strategy = createStrategy({ ...config, seed, lstmUnits: 4 }, space);
        const log = drive(strategy, () => createRng(seed).next(), {
          trials: 24,
          inFlight: 4,
          orderSeed: seed,
        });
        log.asked.forEach((c, i) => {
          expect(c.id).toBe(i + 1);
          expect(parseGenotype(c.genotype, space)).toEqual(c.genotype);
          expect(encodeDecisions(c.genotype, space)).toEqual(metaOf(c).decisions);
        });
      }),
      { numRuns: 10 },
    );
  });

  it('samples the first population from the policy, then asks for children that differ in few decisions', () => {
    const strategy = createHybridStrategy({ ...config, population: 20 }, DEFAULT_SPACE);
    const first = Array.from({ length: 20 }, () => strategy.ask());
    expect(first.every((c) => metaOf(c).kind === 'sample')).toBe(true);
    first.forEach((c) => strategy.tell(c, value(c.genotype)));
    const changed: number[] = [];
    for (let i = 0; i < 200; i++) {
      const child = strategy.ask();
      const meta = metaOf(child);
      if (meta.kind !== 'child') throw new Error(`expected a child, got ${meta.kind}`);
      const parent = strategy.snapshot().population.find((p) => p.id === meta.parentId);
      if (parent === undefined) throw new Error(`parent ${meta.parentId} is not in the population`);
      const from = encodeDecisions(parent.genotype, DEFAULT_SPACE);
      const slots = meta.decisions.flatMap((d, t) => (d === from[t] ? [] : [t]));
      expect(slots).toEqual(meta.mutated);
      changed.push(slots.length);
      strategy.tell(child, value(child.genotype));
    }
    // mutationRate 0.02 over 50 decisions, at least one (1.4 on average), and one uniform one.
    expect(Math.min(...changed)).toBe(2);
    expect(changed.reduce((a, b) => a + b, 0) / changed.length).toBeLessThan(3);
  });

  it('trains the policy on every minibatch and keeps the best cells seen, best first', () => {
    const strategy = createHybridStrategy(config, DEFAULT_SPACE);
    const log = drive(strategy, value, { trials: 23, inFlight: 3, orderSeed: 6 });
    const snapshot = strategy.snapshot();
    expect(snapshot.updates).toBe(4);
    expect(snapshot.finished).toHaveLength(3);
    const rewards = log.told.map((t) => t.reward ?? 0).sort((a, b) => b - a);
    expect(snapshot.best.map((b) => b.reward)).toEqual(rewards.slice(0, 4));
    const first = createHybridStrategy(config, DEFAULT_SPACE).snapshot().policy.params;
    expect(snapshot.policy.params).not.toEqual(first);
  });

  it('continues exactly from a JSON snapshot taken with an update running and candidates in flight', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    drive(strategy, value, { trials: 26, inFlight: 4, orderSeed: 2 });
    const snapshot = strategy.snapshot();
    expect(snapshot.name === 'hybrid' && snapshot.queue.length > 0).toBe(true);
    const stored = parseStrategySnapshot(JSON.parse(JSON.stringify(snapshot)), DEFAULT_SPACE);
    const restored = createStrategy(config, DEFAULT_SPACE, stored);
    expect(restored.snapshot()).toEqual(strategy.snapshot());
    const next = (s: typeof strategy): Candidate[] =>
      drive(s, value, { trials: 20, inFlight: 4, orderSeed: 4 }).asked;
    expect(next(restored)).toEqual(next(strategy));
    expect(restored.snapshot()).toEqual(strategy.snapshot());
  });

  it("replays the RL signal from its results: one point per update, the strategy's baseline", () => {
    const strategy = createHybridStrategy(config, DEFAULT_SPACE);
    const log = drive(strategy, (g, c) => (c.id % 7 === 0 ? null : value(g)), {
      trials: 27,
      inFlight: 3,
      orderSeed: 8,
    });
    const replay = STRATEGY_REGISTRY.signal(config);
    for (const { candidate, reward } of log.told)
      replay.tell({ candidateId: candidate.id, reward }, () => null);
    const signal = replay.signal();
    if (signal.kind !== 'rl') throw new Error(`expected the rl signal, got ${signal.kind}`);
    const snapshot = strategy.snapshot();
    expect(signal.batchSize).toBe(config.batchSize);
    expect(signal.points).toHaveLength(snapshot.updates);
    expect(signal.points.at(-1)?.baseline).toBe(snapshot.baseline);
    expect(signal.points.every((p) => p.entropy === null)).toBe(true);
  });

  it('refuses unknown or repeated results', () => {
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const c = strategy.ask();
    expect(() => strategy.tell({ ...c, id: 9 }, 0.5)).toThrow(UnknownCandidateError);
    strategy.tell(c, 0.5);
    expect(() => strategy.tell(c, 0.5)).toThrow(UnknownCandidateError);
  });

  it('finds better cells than random search on an additive landscape', () => {
    const best = (name: 'hybrid' | 'random', seed: number): number => {
      const c =
        name === 'hybrid'
          ? { ...config, seed, population: 20, sample: 5 }
          : defaultStrategyConfig('random', seed);
      const log = drive(createStrategy(c, DEFAULT_SPACE), value, {
        trials: 200,
        inFlight: 4,
        orderSeed: seed,
      });
      return bestSoFar(log).at(-1) ?? 0;
    };
    for (const seed of [1, 2])
      expect(best('hybrid', seed)).toBeGreaterThan(best('random', seed) + 0.05);
  });
});

describe('policy mutation', () => {
  const layout = policyLayout(DEFAULT_SPACE, 6);
  const weights = samplerWeights(layout, initParams(layout, createRng(1), 2));
  const choices = decisionSlots(DEFAULT_SPACE).map((s) => s.choices);

  it('re-samples exactly the mutated slots, conditioned on the child, and scores the whole child', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const rng = createRng(seed);
        const parent = choices.map((n) => rng.int(n));
        const mutated = mutatedSlots(choices, 0.1, rng);
        expect(mutated.length).toBeGreaterThan(0);
        const child = mutateSequence(layout, weights, parent, mutated, rng);
        const slots = child.decisions.flatMap((d, t) => (d === parent[t] ? [] : [t]));
        expect(slots).toEqual(mutated);
        child.decisions.forEach((d, t) => expect(d).toBeLessThan(choices[t] ?? 0));
        expect(child.logp).toBeCloseTo(sequenceLogProb(layout, weights, child.decisions), 9);
      }),
      { numRuns: 50 },
    );
  });

  it('draws another choice in proportion to the policy, never the parent one', () => {
    const logp = Float64Array.from([0.5, 0.3, 0.2].map(Math.log));
    const counts = [0, 0, 0];
    const rng = createRng(2);
    for (let i = 0; i < 4000; i++) {
      const k = pickOther(logp, 0, rng.next());
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[0]).toBe(0);
    expect((counts[1] ?? 0) / 4000).toBeCloseTo(0.6, 1);
    const certain = Float64Array.from([0, -Infinity, -Infinity]);
    expect([0, 0.4, 0.9].map((u) => pickOther(certain, 0, u))).toEqual([1, 1, 2]);
  });
});
