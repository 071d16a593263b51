import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalGenotype, canonicalJson, genotypeHash } from '../../shared/canonical.ts';
import { unusedBlockOutputs, type Cell, type Genotype } from '../../shared/genotype.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { DEFAULT_SPACE, NASNET_SPACE } from '../../shared/search-space.ts';
import { parseGenotype, parseSearchSpace } from '../../shared/validate.ts';
import {
  applyOrder,
  applySymmetry,
  equivalentByBruteForce,
  randomOrder,
  singleChangeArb,
  symmetryArb,
  topologicalOrders,
  twinGenotypeArb,
  twinRewireArb,
} from '../arbitraries/equivalence.ts';
import { genotypeArb, genotypeWithOutputsArb } from '../arbitraries/genotype.ts';

/** Few ops, one combine and few blocks: twin blocks and accidental equivalences are common. */
const TINY = parseSearchSpace({
  name: 'tiny',
  ops: ['identity', 'sep_conv_3x3'],
  blocks: 3,
  combines: ['add'],
});
/** Two ops, both combines, five blocks: many ties for the greedy search to branch on. */
const TWINS = parseSearchSpace({ ...TINY, name: 'twins', blocks: 5, combines: ['add', 'concat'] });

/** A search space and a genotype of it. */
const spacedArb = fc
  .constantFrom(DEFAULT_SPACE, NASNET_SPACE, TWINS, TINY)
  .chain((space) => genotypeWithOutputsArb(space).map((g) => [space, g] as const));

describe('genotypeHash', () => {
  it('is 16 hex digits, and fixed for NASNet-A', () => {
    expect(genotypeHash(NASNET_A)).toBe('94e7f1a5c5dceeb1');
  });

  it('is invariant under operand swaps and topological renumberings', () => {
    let renumbered = 0;
    fc.assert(
      fc.property(spacedArb, symmetryArb, ([space, g], s) => {
        const variant = applySymmetry(g, s);
        const order = randomOrder(g.normal.blocks, s.normal.picks);
        if (order.some((j, pos) => j !== pos)) renumbered++;
        expect(parseGenotype(JSON.parse(JSON.stringify(variant)), space)).toEqual(variant);
        expect(canonicalGenotype(variant)).toEqual(canonicalGenotype(g));
        expect(genotypeHash(variant)).toBe(genotypeHash(g));
      }),
      { numRuns: 1000 },
    );
    expect(renumbered).toBeGreaterThan(500);
  });

  it('is invariant under writing out the rule output list, in any order', () => {
    fc.assert(
      fc.property(genotypeArb(), fc.boolean(), (g, reverse) => {
        const rule = unusedBlockOutputs(g.normal.blocks);
        const output = reverse ? [...rule].reverse() : rule;
        const explicit: Genotype = { ...g, normal: { blocks: g.normal.blocks, output } };
        expect(genotypeHash(explicit)).toBe(genotypeHash(g));
        expect(canonicalGenotype(explicit).normal.output).toBeUndefined();
      }),
    );
  });

  it('changes exactly when one op, input or combine is changed to a non-equivalent genotype', () => {
    const cases = [
      singleChangeArb(DEFAULT_SPACE),
      singleChangeArb(TINY),
      singleChangeArb(TWINS, twinGenotypeArb(TWINS)),
      singleChangeArb(DEFAULT_SPACE, twinGenotypeArb(DEFAULT_SPACE)),
    ];
    for (const changes of cases) {
      fc.assert(
        fc.property(changes, ({ genotype, changed }) => {
          const equivalent = equivalentByBruteForce(genotype, changed);
          expect(genotypeHash(changed) === genotypeHash(genotype)).toBe(equivalent);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('is unchanged by rewiring an input to a twin exactly when the twins can swap places', () => {
    for (const space of [DEFAULT_SPACE, TWINS, TINY]) {
      const seen = { same: 0, different: 0 };
      fc.assert(
        fc.property(twinRewireArb(space), ({ genotype, changed }) => {
          const equivalent = equivalentByBruteForce(genotype, changed);
          seen[equivalent ? 'same' : 'different']++;
          expect(genotypeHash(changed) === genotypeHash(genotype)).toBe(equivalent);
        }),
        { numRuns: 500 },
      );
      // Both outcomes come up about half the time; a miss here means the generator broke.
      expect(seen.same).toBeGreaterThan(50);
      expect(seen.different).toBeGreaterThan(50);
    }
  });

  it('can be equal after a single change that lands on a twin', () => {
    // Blocks 0 and 1 are twins that only block 2 could tell apart: rewiring block 2 from one to
    // the other is a renumbering, so the networks are the same.
    const cell = {
      blocks: [
        { inputA: 0, opA: 'identity', inputB: 1, opB: 'conv_1x1', combine: 'add' },
        { inputA: 0, opA: 'identity', inputB: 1, opB: 'conv_1x1', combine: 'add' },
        { inputA: 2, opA: 'conv_3x3', inputB: 0, opB: 'identity', combine: 'concat' },
      ],
    };
    const tiny3 = { ...DEFAULT_SPACE, blocks: 3 };
    const g = parseGenotype({ normal: cell, reduction: cell }, tiny3);
    const rewired = parseGenotype(
      {
        normal: { blocks: [cell.blocks[0], cell.blocks[1], { ...cell.blocks[2], inputA: 3 }] },
        reduction: cell,
      },
      tiny3,
    );
    expect(rewired).not.toEqual(g);
    expect(equivalentByBruteForce(g, rewired)).toBe(true);
    expect(genotypeHash(rewired)).toBe(genotypeHash(g));
  });
});

describe('canonicalGenotype', () => {
  it('agrees with a brute-force search over all topological orders', () => {
    // Pairs that are equivalent, one change away from equivalent, or unrelated.
    const pairArb = fc.constantFrom(TINY, TWINS).chain((space) =>
      genotypeWithOutputsArb(space).chain((g) =>
        fc.oneof(
          symmetryArb.map((s) => [g, applySymmetry(g, s)] as const),
          fc
            .tuple(singleChangeArb(space, fc.constant(g)), symmetryArb)
            .map(([c, s]) => [g, applySymmetry(c.changed, s)] as const),
          genotypeWithOutputsArb(space).map((h) => [g, h] as const),
        ),
      ),
    );
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(equivalentByBruteForce(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, parses, and is frozen', () => {
    fc.assert(
      fc.property(spacedArb, ([space, g]) => {
        const c = canonicalGenotype(g);
        expect(canonicalGenotype(c)).toEqual(c);
        expect(parseGenotype(JSON.parse(JSON.stringify(c)), space)).toEqual(c);
        expect(equivalentByBruteForce(g, c)).toBe(true);
        expect(Object.isFrozen(c.normal.blocks[0])).toBe(true);
      }),
    );
  });

  it('is the smallest of all topological orders', () => {
    fc.assert(
      fc.property(genotypeArb(TWINS), (g) => {
        const c = canonicalGenotype(g);
        for (const order of topologicalOrders(g.normal.blocks)) {
          const other = canonicalGenotype({ ...g, normal: applyOrder(g.normal, order) });
          expect(other).toEqual(c);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keeps an explicit output list that differs from the rule, sorted', () => {
    const c = canonicalGenotype(NASNET_A);
    expect(c.normal.output).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.reduction.output).toHaveLength(4);
    expect(c.reduction.output).toEqual([...(c.reduction.output ?? [])].sort((a, b) => a - b));
  });

  it('does not depend on the key order of its input', () => {
    const reversed = (cell: Cell): Cell => ({
      output: cell.output,
      blocks: cell.blocks.map((b) => ({
        ...{ combine: b.combine, opB: b.opB, inputB: b.inputB },
        ...b,
      })),
    });
    const shuffled: Genotype = {
      reduction: reversed(NASNET_A.reduction),
      normal: reversed(NASNET_A.normal),
    };
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(NASNET_A));
    expect(canonicalJson(shuffled)).toBe(canonicalJson(NASNET_A));
    expect(canonicalJson(NASNET_A)).toMatch(/^\{"normal":\{"blocks":\[\{"inputA":0,"opA":"/);
  });
});
