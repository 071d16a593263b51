import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionSlots, decodeDecisions, encodeDecisions } from '../../shared/decisions.ts';
import { InvalidValueError, UnsupportedError } from '../../shared/errors.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { DEFAULT_SPACE, NASNET_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { genotypeArb } from '../arbitraries/genotype.ts';

const decisionsArb = (space: SearchSpace): fc.Arbitrary<number[]> =>
  fc.tuple(...decisionSlots(space).map((slot) => fc.integer({ min: 0, max: slot.choices - 1 })));

describe('decision-sequence encoding', () => {
  it('has 2 x 5B slots in the paper order with the valid choice counts', () => {
    const slots = decisionSlots(DEFAULT_SPACE);
    expect(slots).toHaveLength(50);
    expect(slots.slice(0, 5).map((s) => s.field)).toEqual([
      'inputA',
      'inputB',
      'opA',
      'opB',
      'combine',
    ]);
    expect(slots.slice(0, 5).map((s) => s.choices)).toEqual([2, 2, 14, 14, 2]);
    expect(slots.slice(20, 25).map((s) => s.choices)).toEqual([6, 6, 14, 14, 2]);
    expect(slots[25]?.cell).toBe('reduction');
    expect(decisionSlots(NASNET_SPACE)[2]?.choices).toBe(13);
  });

  it('round-trips genotype -> decisions -> genotype exactly', () => {
    for (const space of [DEFAULT_SPACE, NASNET_SPACE]) {
      fc.assert(
        fc.property(genotypeArb(space), (g) => {
          expect(decodeDecisions(encodeDecisions(g, space), space)).toEqual(g);
        }),
      );
    }
  });

  it('round-trips decisions -> genotype -> decisions exactly', () => {
    fc.assert(
      fc.property(decisionsArb(DEFAULT_SPACE), (d) => {
        expect(encodeDecisions(decodeDecisions(d, DEFAULT_SPACE), DEFAULT_SPACE)).toEqual(d);
      }),
    );
  });

  it('rejects an out-of-range decision naming its position and what is allowed', () => {
    fc.assert(
      fc.property(decisionsArb(DEFAULT_SPACE), fc.nat({ max: 49 }), (d, i) => {
        const bad = [...d];
        const slot = decisionSlots(DEFAULT_SPACE)[i];
        bad[i] = slot?.choices ?? 0;
        expect(() => decodeDecisions(bad, DEFAULT_SPACE)).toThrow(`decisions[${i}]`);
        expect(() => decodeDecisions(bad, DEFAULT_SPACE)).toThrow(
          `allowed 0..${(slot?.choices ?? 0) - 1}`,
        );
      }),
    );
  });

  it('rejects a sequence of the wrong length', () => {
    expect(() => decodeDecisions([0, 0, 0], DEFAULT_SPACE)).toThrow(InvalidValueError);
    expect(() => decodeDecisions([0, 0, 0], DEFAULT_SPACE)).toThrow(/expected 50 decisions/);
  });

  it('refuses an explicit output list that the encoding cannot carry', () => {
    expect(() => encodeDecisions(NASNET_A, DEFAULT_SPACE)).toThrow(UnsupportedError);
    expect(() => encodeDecisions(NASNET_A, DEFAULT_SPACE)).toThrow(/normal\.output/);
  });

  it('refuses an op outside the space', () => {
    const g = decodeDecisions(new Array<number>(50).fill(0), DEFAULT_SPACE);
    const withPool5 = {
      ...g,
      normal: { blocks: g.normal.blocks.map((b) => ({ ...b, opA: 'avg_pool_5x5' as const })) },
    };
    expect(() => encodeDecisions(withPool5, NASNET_SPACE)).toThrow(/avg_pool_5x5/);
  });
});
