/**
 * The strategy benchmark's one assertion, for CI: at a budget, on each landscape, every strategy's
 * mean best-found fraction beats random search's by at least a margin. Only what is robust is
 * asserted (a margin well inside the gap the full benchmark measures), so a slow drift in any
 * strategy's learning shows, and timing noise in the order results come back does not.
 */
import type { BenchCell } from './bench-summary.ts';

/** One strategy that did not beat random search by the margin. */
export interface BeatRandomFailure {
  readonly landscape: string;
  readonly strategy: string;
  readonly mean: number;
  readonly random: number;
}

/**
 * The strategies whose mean at `budget` falls short of random's plus `margin`, on each landscape
 * where random search ran; throws if random search has no cell at `budget` there.
 */
export function shortOfRandom(
  cells: readonly BenchCell[],
  budget: number,
  margin: number,
): BeatRandomFailure[] {
  const at = cells.filter((c) => c.budget === budget);
  const landscapes = [...new Set(at.map((c) => c.landscape))];
  return landscapes.flatMap((landscape) => {
    const here = at.filter((c) => c.landscape === landscape);
    const random = here.find((c) => c.strategy === 'random');
    if (random === undefined)
      throw new Error(`no random search on ${landscape} at ${budget} trials to compare with`);
    return here
      .filter((c) => c.strategy !== 'random' && c.mean < random.mean + margin)
      .map((c) => ({ landscape, strategy: c.strategy, mean: c.mean, random: random.mean }));
  });
}

/** One line per failure, for the benchmark's error output. */
export function describeFailures(
  failures: readonly BeatRandomFailure[],
  budget: number,
  margin: number,
): string {
  return failures
    .map(
      (f) =>
        `${f.landscape}: ${f.strategy} found ${f.mean.toFixed(3)} of the optimum after ${budget} trials; ` +
        `random search ${f.random.toFixed(3)}, so it needed at least ${(f.random + margin).toFixed(3)}`,
    )
    .join('\n');
}
