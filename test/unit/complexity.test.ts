import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complexity, type Cost } from '../../shared/complexity.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import type { NetworkSettingsInput, Skeleton } from '../../shared/network-settings.ts';
import { genotypeArb, genotypeWithOutputsArb } from '../arbitraries/genotype.ts';
import { CIFAR, LARGE, MOBILE } from '../fixtures/nasnet-networks.ts';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / expected;
}

function expectPositiveIntegers(cost: Cost): void {
  for (const n of [cost.params, cost.bnStatistics, cost.multAdds]) {
    expect(Number.isSafeInteger(n) && n > 0).toBe(true);
  }
}

describe('complexity of the published NASNet-A models', () => {
  it('4@1056 mobile: 5.3M params and 564M mult-adds (paper), Keras NASNetMobile counts exactly', () => {
    const c = complexity(NASNET_A, MOBILE);
    expect(relativeError(c.params, 5.3e6)).toBeLessThan(0.01);
    expect(relativeError(c.multAdds, 564e6)).toBeLessThan(0.01);
    // keras.applications.NASNetMobile().summary(): 5,326,716 total, 36,738 non-trainable.
    expect(c.params + c.bnStatistics).toBe(5_326_716);
    expect(c.bnStatistics).toBe(36_738);
  });

  it('6@4032 large: 88.9M params and 23.8B mult-adds (paper), Keras NASNetLarge counts exactly', () => {
    const c = complexity(NASNET_A, LARGE);
    // The paper's 88.9M is Keras's total, BN statistics included; trainable alone is 88.75M.
    expect(relativeError(c.params + c.bnStatistics, 88.9e6)).toBeLessThan(0.001);
    expect(relativeError(c.multAdds, 23.8e9)).toBeLessThan(0.001);
    // keras.applications.NASNetLarge().summary(): 88,949,818 total, 196,668 non-trainable.
    expect(c.params + c.bnStatistics).toBe(88_949_818);
    expect(c.bnStatistics).toBe(196_668);
  });

  it("6@768 CIFAR-10: 3.3M params to the paper's precision and about 0.54B mult-adds", () => {
    const c = complexity(NASNET_A, CIFAR);
    // 3,346,538 trainable: "3.3M" when rounded to the paper's two digits (1.4% above 3.3M exactly).
    expect(Math.round(c.params / 1e5)).toBe(33);
    expect(relativeError(c.multAdds, 0.54e9)).toBeLessThan(0.01);
  });

  it('splits the totals into stem, cells, aux head and head', () => {
    const c = complexity(NASNET_A, { ...CIFAR, auxHead: true });
    const { stem, cells, auxHead, head } = c.parts;
    expect(cells).toHaveLength(3 * 6 + 2);
    for (const key of ['params', 'bnStatistics', 'multAdds'] as const) {
      let sum = stem[key] + head[key] + (auxHead?.[key] ?? 0);
      for (const cell of cells) sum += cell[key];
      expect(sum).toBe(c[key]);
    }
    // 1x1 conv 384->128, BN, 4x4 conv 128->768, BN, dense 768->10 (TF-slim `_build_aux_head`).
    expect(auxHead?.params).toBe(384 * 128 + 256 + 16 * 128 * 768 + 1536 + 768 * 10 + 10);
  });
});

const filtersArb = fc.integer({ min: 4, max: 16 }).map((k) => 24 * k);
const skeletonArb = fc.constantFrom<Skeleton>('cifar', 'imagenet');

function settings(skeleton: Skeleton, cells: number, filters: number): NetworkSettingsInput {
  const imageSize = skeleton === 'cifar' ? 32 : 96;
  return { cells, filters, imageSize, classes: 10, skeleton, auxHead: true };
}

describe('complexity properties', () => {
  it('every genotype of the default space yields positive integer counts, part by part', () => {
    fc.assert(
      fc.property(genotypeWithOutputsArb(), skeletonArb, filtersArb, (g, skeleton, filters) => {
        const c = complexity(g, settings(skeleton, 2, filters));
        expectPositiveIntegers(c);
        expectPositiveIntegers(c.parts.stem);
        c.parts.cells.forEach(expectPositiveIntegers);
      }),
    );
  });

  // From N = 2 on, adding a normal cell to each stack leaves every other cell's input shapes as they
  // were. N = 1 -> 2 can lower the count: the first reduction cell's h_{i-1} changes from the stem
  // to a normal cell's output, which is narrower than a wide stem (stemMultiplier 10, say).
  it('strictly increases with N', () => {
    fc.assert(
      fc.property(genotypeArb(), skeletonArb, fc.integer({ min: 2, max: 4 }), (g, skeleton, n) => {
        const small = complexity(g, settings(skeleton, n, 96));
        const large = complexity(g, settings(skeleton, n + 1, 96));
        expect(large.params).toBeGreaterThan(small.params);
        expect(large.multAdds).toBeGreaterThan(small.multAdds);
      }),
    );
  });

  it('strictly increases with F', () => {
    fc.assert(
      fc.property(genotypeWithOutputsArb(), skeletonArb, filtersArb, (g, skeleton, filters) => {
        const small = complexity(g, settings(skeleton, 2, filters));
        const large = complexity(g, settings(skeleton, 2, filters + 24));
        expect(large.params).toBeGreaterThan(small.params);
        expect(large.multAdds).toBeGreaterThan(small.multAdds);
      }),
    );
  });
});
