/**
 * A synthetic search landscape: a deterministic function from a genotype of one search space to an
 * accuracy in [0, 1], with its optimum known exactly, so a search's best cell can be scored as a
 * fraction of the best there is. The fake trainer of the strategy benchmark answers trials with it.
 */
import { decodeDecisions, encodeDecisions } from '../../shared/decisions.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';

/** One seeded instance of a landscape. */
export interface Landscape {
  /** The space whose genotypes it scores (their decision encoding is its input). */
  readonly space: SearchSpace;
  /** The noise-free value of a decision sequence of {@link Landscape.space}, in [0, 1]. */
  readonly value: (decisions: readonly number[]) => number;
  /**
   * The accuracy a trainer reports for the `evaluation`-th training (0, 1, ...) of a decision
   * sequence: the value itself, or the value with seeded noise (still in [0, 1]).
   */
  readonly report: (decisions: readonly number[], evaluation: number) => number;
  /** The largest value, computed exactly (each landscape's TSDoc says how). */
  readonly optimum: number;
  /** A decision sequence whose value is {@link Landscape.optimum}. */
  readonly optimal: readonly number[];
}

/** A landscape kind: what it models, and how to build its instance for a seed. */
export interface LandscapeKind {
  /** One line for the benchmark's `--help` and report. */
  readonly description: string;
  /** The instance for `seed` over `space` (the same seed gives the same landscape). */
  readonly create: (space: SearchSpace, seed: number) => Landscape;
}

/** The noise-free value of `genotype` on `landscape`. */
export function genotypeValue(landscape: Landscape, genotype: Genotype): number {
  return landscape.value(encodeDecisions(genotype, landscape.space));
}

/** The genotype of `landscape`'s optimal decisions. */
export function optimalGenotype(landscape: Landscape): Genotype {
  return decodeDecisions(landscape.optimal, landscape.space);
}

/**
 * `raw` mapped linearly from [least, most] onto [0, 1] (0 when the range is empty). Not clamped, so
 * a wrong `most` shows as a value above 1 rather than hiding; {@link toAccuracy} clamps what a
 * trainer reports.
 */
export function normalize(raw: number, least: number, most: number): number {
  return most > least ? (raw - least) / (most - least) : 0;
}

/**
 * `value` as a trainer may report it: clamped to [0, 1] (a sum taken in another order than the
 * optimum's may come to 1 + 1e-16).
 */
export function toAccuracy(value: number): number {
  return Math.min(1, Math.max(0, value));
}
