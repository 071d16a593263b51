import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionSlots, encodeDecisions } from '../../shared/decisions.ts';
import { mutate, type Mutation } from '../../shared/mutate.ts';
import { createRng } from '../../shared/rng.ts';
import { sampleGenotype } from '../../shared/sample.ts';
import { DEFAULT_SPACE, NASNET_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { genotypeArb } from '../arbitraries/genotype.ts';

const ADD_ONLY: SearchSpace = { ...NASNET_SPACE, name: 'add-only', combines: ['add'] };

describe('sampling', () => {
  it('every sampled genotype parses in its space', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom(DEFAULT_SPACE, NASNET_SPACE, ADD_ONLY),
        (seed, space) => {
          const g = sampleGenotype(createRng(seed), space);
          expect(parseGenotype(g, space)).toEqual(g);
        },
      ),
    );
  });

  it('is repeatable from the seed', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        expect(sampleGenotype(createRng(seed), DEFAULT_SPACE)).toEqual(
          sampleGenotype(createRng(seed), DEFAULT_SPACE),
        );
      }),
    );
  });

  it('draws every decision uniformly over its valid choices', () => {
    const rng = createRng(1);
    const slots = decisionSlots(DEFAULT_SPACE);
    const counts = slots.map((s) => new Array<number>(s.choices).fill(0));
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      encodeDecisions(sampleGenotype(rng, DEFAULT_SPACE), DEFAULT_SPACE).forEach((d, j) => {
        const row = counts[j];
        if (row !== undefined) row[d] = (row[d] ?? 0) + 1;
      });
    }
    counts.forEach((row) => {
      const expected = draws / row.length;
      for (const c of row) expect(Math.abs(c - expected)).toBeLessThan(6 * Math.sqrt(expected));
    });
  });
});

/** The positions at which two decision sequences differ. */
function diff(a: readonly number[], b: readonly number[]): number[] {
  return a.flatMap((x, i) => (x === b[i] ? [] : [i]));
}

describe('mutation', () => {
  it('yields a valid genotype that differs in exactly one decision (none for identity)', () => {
    fc.assert(
      fc.property(genotypeArb(DEFAULT_SPACE), fc.nat(), (parent, seed) => {
        const { genotype, mutation } = mutate(parent, createRng(seed), DEFAULT_SPACE);
        expect(parseGenotype(genotype, DEFAULT_SPACE)).toEqual(genotype);
        const changed = diff(
          encodeDecisions(parent, DEFAULT_SPACE),
          encodeDecisions(genotype, DEFAULT_SPACE),
        );
        expect(changed).toHaveLength(mutation.kind === 'identity' ? 0 : 1);
      }),
    );
  });

  it('reports exactly the change it made', () => {
    fc.assert(
      fc.property(genotypeArb(DEFAULT_SPACE), fc.nat(), (parent, seed) => {
        const { genotype, mutation } = mutate(parent, createRng(seed), DEFAULT_SPACE, {
          identityProbability: 0,
        });
        expect(mutation.kind).not.toBe('identity');
        if (mutation.kind === 'identity') return;
        const before = parent[mutation.cell].blocks[mutation.block];
        const after = genotype[mutation.cell].blocks[mutation.block];
        const field = fieldOf(mutation);
        expect(before?.[field]).toBe(mutation.from);
        expect(after?.[field]).toBe(mutation.to);
        expect(mutation.to).not.toBe(mutation.from);
      }),
    );
  });

  it('applies identity with probability 0.05 and uses every kind the space allows', () => {
    const rng = createRng(3);
    const parent = sampleGenotype(rng, DEFAULT_SPACE);
    const kinds = new Map<string, number>();
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const { mutation } = mutate(parent, rng, DEFAULT_SPACE);
      kinds.set(mutation.kind, (kinds.get(mutation.kind) ?? 0) + 1);
    }
    const identity = (kinds.get('identity') ?? 0) / n;
    expect(identity).toBeGreaterThan(0.04);
    expect(identity).toBeLessThan(0.06);
    for (const kind of ['hidden_state', 'op', 'combine'])
      expect(kinds.get(kind) ?? 0).toBeGreaterThan(2500);
  });

  it('never mutates the combine when the space has one combiner (the paper split)', () => {
    const rng = createRng(5);
    const parent = sampleGenotype(rng, ADD_ONLY);
    for (let i = 0; i < 2000; i++)
      expect(mutate(parent, rng, ADD_ONLY).mutation.kind).not.toBe('combine');
  });

  it('is repeatable from the seed', () => {
    fc.assert(
      fc.property(genotypeArb(DEFAULT_SPACE), fc.nat(), (parent, seed) => {
        expect(mutate(parent, createRng(seed), DEFAULT_SPACE)).toEqual(
          mutate(parent, createRng(seed), DEFAULT_SPACE),
        );
      }),
    );
  });
});

function fieldOf(
  m: Exclude<Mutation, { kind: 'identity' }>,
): 'inputA' | 'inputB' | 'opA' | 'opB' | 'combine' {
  if (m.kind === 'combine') return 'combine';
  if (m.kind === 'hidden_state') return m.operand === 'A' ? 'inputA' : 'inputB';
  return m.operand === 'A' ? 'opA' : 'opB';
}
