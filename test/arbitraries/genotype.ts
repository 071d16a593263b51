/**
 * fast-check arbitraries that generate valid genotypes by construction, for any search space.
 * Shared by every property test.
 */
import fc from 'fast-check';
import type { Block, Cell, Genotype } from '../../shared/genotype.ts';
import { DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';

/** A valid block at position `b` of a cell in `space`. */
export function blockArb(space: SearchSpace, b: number): fc.Arbitrary<Block> {
  const input = fc.integer({ min: 0, max: 1 + b });
  const op = fc.constantFrom(...space.ops);
  return fc.record({
    inputA: input,
    opA: op,
    inputB: input,
    opB: op,
    combine: fc.constantFrom(...space.combines),
  });
}

/** A valid cell of `space`, without an explicit output list (the paper's rule). */
export function cellArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Cell> {
  const blocks = Array.from({ length: space.blocks }, (_, b) => blockArb(space, b));
  return fc.tuple(...blocks).map((bs) => ({ blocks: bs }));
}

/** A valid cell of `space` that carries an explicit, non-empty output list of distinct states. */
export function cellWithOutputArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Cell> {
  const states = fc.uniqueArray(fc.integer({ min: 0, max: 1 + space.blocks }), {
    minLength: 1,
    maxLength: 2 + space.blocks,
  });
  return fc
    .tuple(cellArb(space), states)
    .map(([cell, output]) => ({ blocks: cell.blocks, output: [...output].sort((a, b) => a - b) }));
}

/** A valid genotype of `space` under the paper's output rule. */
export function genotypeArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Genotype> {
  return fc.record({ normal: cellArb(space), reduction: cellArb(space) });
}

/** A valid genotype of `space` whose cells may carry explicit output lists. */
export function genotypeWithOutputsArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Genotype> {
  const cell = fc.oneof(cellArb(space), cellWithOutputArb(space));
  return fc.record({ normal: cell, reduction: cell });
}
