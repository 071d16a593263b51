import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADDITIVE_LANDSCAPE } from '../../bench/search/additive-landscape.ts';
import { decisionSlots, encodeDecisions } from '../../shared/decisions.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { createHybridStrategy } from '../../controller/strategies/hybrid/hybrid-strategy.ts';
import {
  disagreement,
  uniformSlots,
  weightedSlots,
} from '../../controller/strategies/hybrid/policy-mutation.ts';
import { initParams, policyLayout } from '../../controller/strategies/rl/policy-layout.ts';
import { samplerWeights, sequenceLogProb } from '../../controller/strategies/rl/sampler.ts';
import {
  createStrategy,
  defaultStrategyConfig,
  parseStrategySnapshot,
  type Candidate,
} from '../../controller/strategies/strategy.ts';
import { drive } from '../fixtures/strategy-driver.ts';

// The hybrid's staged start (`warmup`) and its child mix (`uniformMutations`, `mutationSlots`);
// the rest of the hybrid is in strategy-hybrid.test.ts. A small policy keeps the updates fast.
const config = {
  ...defaultStrategyConfig('hybrid', 3),
  population: 20,
  warmup: 5,
  sample: 3,
  lstmUnits: 8,
  batchSize: 5,
  pqtSize: 4,
};
const META = z.object({
  kind: z.enum(['sample', 'child']),
  parentId: z.number().optional(),
  mutated: z.array(z.number()).optional(),
  decisions: z.array(z.number()),
});
const metaOf = (c: Candidate): z.infer<typeof META> => META.parse(c.meta);
const additive = ADDITIVE_LANDSCAPE.create(DEFAULT_SPACE, 5);
const value = (g: Genotype): number => additive.value(encodeDecisions(g, DEFAULT_SPACE));
const choices = decisionSlots(DEFAULT_SPACE).map((s) => s.choices);

describe('the hybrid in stages', () => {
  it('starts tournaments after `warmup` results while the population grows to `population`', () => {
    const strategy = createHybridStrategy(config, DEFAULT_SPACE);
    const first = Array.from({ length: 5 }, () => strategy.ask());
    expect(first.map((c) => metaOf(c).kind)).toEqual(Array(5).fill('sample'));
    first.forEach((c) => strategy.tell(c, value(c.genotype)));
    for (let i = 0; i < 30; i++) {
      const child = strategy.ask();
      expect(metaOf(child).kind).toBe('child');
      strategy.tell(child, value(child.genotype));
      expect(strategy.snapshot().population).toHaveLength(Math.min(20, 6 + i));
    }
  });

  it('re-samples one more decision uniformly per child, and names every changed one', () => {
    const strategy = createHybridStrategy({ ...config, uniformMutations: 1 }, DEFAULT_SPACE);
    drive(strategy, value, { trials: 5, inFlight: 1, orderSeed: 1 });
    for (let i = 0; i < 60; i++) {
      const child = strategy.ask();
      const meta = metaOf(child);
      const parent = strategy.snapshot().population.find((p) => p.id === meta.parentId);
      if (parent === undefined) throw new Error(`parent ${String(meta.parentId)} is missing`);
      const from = encodeDecisions(parent.genotype, DEFAULT_SPACE);
      const changed = meta.decisions.flatMap((d, t) => (d === from[t] ? [] : [t]));
      expect(changed).toEqual(meta.mutated);
      expect(changed.length).toBeGreaterThanOrEqual(2);
      strategy.tell(child, value(child.genotype));
    }
  });

  it('continues exactly from a JSON snapshot with every stage option set', () => {
    const staged = { ...config, uniformMutations: 1, mutationSlots: 'policy' as const };
    const strategy = createStrategy(staged, DEFAULT_SPACE);
    drive(strategy, value, { trials: 26, inFlight: 4, orderSeed: 2 });
    const stored = parseStrategySnapshot(
      JSON.parse(JSON.stringify(strategy.snapshot())),
      DEFAULT_SPACE,
    );
    const restored = createStrategy(staged, DEFAULT_SPACE, stored);
    const next = (s: typeof strategy): Candidate[] =>
      drive(s, value, { trials: 20, inFlight: 4, orderSeed: 4 }).asked;
    expect(next(restored)).toEqual(next(strategy));
    expect(restored.snapshot()).toEqual(strategy.snapshot());
  });
});

describe('choosing the decisions a child changes', () => {
  const layout = policyLayout(DEFAULT_SPACE, 6);
  const weights = samplerWeights(layout, initParams(layout, createRng(1), 2));

  it('weights slots by the given weights, distinct and open, at least one', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0, max: 0.3, noNaN: true }), (seed, rate) => {
        const rng = createRng(seed);
        const weight = choices.map((n, t) => (n > 1 && t % 2 === 0 ? rng.next() : 0));
        const slots = weightedSlots(choices, weight, rate, rng);
        expect(slots.length).toBeGreaterThan(0);
        expect(new Set(slots).size).toBe(slots.length);
        slots.forEach((t) => expect(choices[t]).toBeGreaterThan(1));
        if (slots.length <= choices.filter((_, t) => t % 2 === 0).length)
          slots.forEach((t) => expect(t % 2).toBe(0));
      }),
      { numRuns: 50 },
    );
  });

  it("gives each slot the policy's probability of another choice, and draws uniform extras elsewhere", () => {
    const rng = createRng(4);
    const parent = choices.map((n) => rng.int(n));
    const d = disagreement(layout, weights, parent);
    d.forEach((p) => {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    });
    // 1 - d[t] is the probability of the parent's own choice given its prefix: their logs add up.
    const logp = d.reduce((sum, p) => sum + Math.log(1 - p), 0);
    expect(logp).toBeCloseTo(sequenceLogProb(layout, weights, parent), 6);
    const extra = uniformSlots(choices, [0, 1, 2], 3, rng);
    expect(extra).toHaveLength(3);
    extra.forEach((t) => expect([0, 1, 2]).not.toContain(t));
  });
});
