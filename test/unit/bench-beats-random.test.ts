import { describe, expect, it } from 'vitest';
import type { BenchCell } from '../../bench/search/bench-summary.ts';
import { describeFailures, shortOfRandom } from '../../bench/search/beats-random.ts';

function cell(landscape: string, strategy: string, budget: number, mean: number): BenchCell {
  return { landscape, strategy, budget, fractions: [mean], mean, sd: 0, min: mean, max: mean };
}

describe("bench:search's beat-random assertion", () => {
  const cells = [
    cell('additive', 'random', 300, 0.66),
    cell('additive', 'evolution', 300, 0.76),
    cell('additive', 'rl', 300, 0.69),
    cell('additive', 'rl', 100, 0.5),
    cell('trap', 'random', 300, 0.7),
    cell('trap', 'hybrid', 300, 0.72),
  ];

  it('names each strategy that falls short of random plus the margin, per landscape', () => {
    expect(shortOfRandom(cells, 300, 0.04)).toEqual([
      { landscape: 'additive', strategy: 'rl', mean: 0.69, random: 0.66 },
      { landscape: 'trap', strategy: 'hybrid', mean: 0.72, random: 0.7 },
    ]);
    expect(shortOfRandom(cells, 300, 0.01)).toEqual([]);
    expect(describeFailures(shortOfRandom(cells, 300, 0.04), 300, 0.04)).toBe(
      'additive: rl found 0.690 of the optimum after 300 trials; random search 0.660, so it needed at least 0.700\n' +
        'trap: hybrid found 0.720 of the optimum after 300 trials; random search 0.700, so it needed at least 0.740',
    );
  });

  it('refuses to pass when random search did not run at that budget', () => {
    expect(() => shortOfRandom(cells, 100, 0.04)).toThrow(
      'no random search on additive at 100 trials to compare with',
    );
  });
});
