import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, rngFromState } from '../../shared/rng.ts';

describe('seeded rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        const c = createRng(seed + 1);
        const sa = Array.from({ length: 8 }, () => a.next());
        expect(Array.from({ length: 8 }, () => b.next())).toEqual(sa);
        expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(sa);
      }),
    );
  });

  it('continues exactly from a saved state', () => {
    const rng = createRng(42);
    for (let i = 0; i < 5; i++) rng.next();
    const resumed = rngFromState(rng.state());
    expect(Array.from({ length: 10 }, () => resumed.int(1000))).toEqual(
      Array.from({ length: 10 }, () => rng.int(1000)),
    );
  });

  it('draws integers in range, roughly uniformly', () => {
    const rng = createRng(7);
    const counts = new Array<number>(10).fill(0);
    const draws = 100_000;
    let outOfRange = 0;
    for (let i = 0; i < draws; i++) {
      const k = rng.int(10);
      if (!(Number.isInteger(k) && k >= 0 && k < 10)) outOfRange++;
      else counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(outOfRange).toBe(0);
    const chiSquare = counts.reduce((sum, c) => sum + (c - draws / 10) ** 2 / (draws / 10), 0);
    expect(chiSquare).toBeLessThan(27.9); // p = 0.001 at 9 degrees of freedom
  });

  it('rejects bad arguments', () => {
    expect(() => createRng(1.5)).toThrow(/safe integer/);
    expect(() => createRng(0).int(0)).toThrow(/positive integer/);
  });
});
