/**
 * Search spaces as values: which ops, how many blocks per cell, which combiners.
 * The default space has all 14 ops; `nasnet` is the paper's 13.
 */
import { OP_NAMES, type OpName } from './ops.ts';

/** How a block merges its two op outputs: elementwise sum, or concatenation along channels. */
export type Combine = 'add' | 'concat';

/** Every combiner, in a fixed order (the decision encoding's choice order). */
export const COMBINES: readonly Combine[] = Object.freeze(['add', 'concat'] as const);

/** A search space: the ops a block may choose, the number of blocks B per cell, and the combiners. */
export interface SearchSpace {
  readonly name: string;
  /** Ops in a fixed order; a decision's op index refers to this order. */
  readonly ops: readonly OpName[];
  /** Blocks per cell (the paper's B = 5). */
  readonly blocks: number;
  /** Combiners in a fixed order; a decision's combine index refers to this order. */
  readonly combines: readonly Combine[];
}

/** The default space: all 14 ops, B = 5, add and concat. */
export const DEFAULT_SPACE: SearchSpace = Object.freeze({
  name: 'default',
  ops: OP_NAMES,
  blocks: 5,
  combines: COMBINES,
});

/** The NASNet paper's space: its 13 ops (no 5x5 average pooling), B = 5, add and concat. */
export const NASNET_SPACE: SearchSpace = Object.freeze({
  name: 'nasnet',
  ops: Object.freeze(OP_NAMES.filter((op) => op !== 'avg_pool_5x5')),
  blocks: 5,
  combines: COMBINES,
});

/** The named spaces, by name. */
export const SEARCH_SPACES: Readonly<Record<string, SearchSpace>> = Object.freeze({
  default: DEFAULT_SPACE,
  nasnet: NASNET_SPACE,
});
