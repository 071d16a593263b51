/** Seeded uniform sampling of genotypes: every decision is drawn uniformly from its valid choices. */
import { decisionSlots, decodeDecisions } from './decisions.ts';
import type { Genotype } from './genotype.ts';
import type { Rng } from './rng.ts';
import type { SearchSpace } from './search-space.ts';

/**
 * A genotype of `space` drawn uniformly over its decision sequences (the paper's random-search
 * baseline). Cells use the paper's output rule (no explicit output list).
 */
export function sampleGenotype(rng: Rng, space: SearchSpace): Genotype {
  return decodeDecisions(
    decisionSlots(space).map((slot) => rng.int(slot.choices)),
    space,
  );
}
