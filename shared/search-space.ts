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

/**
 * The 13 ops of the NASNet paper (Zoph et al., "Learning Transferable Architectures for Scalable Image
 * Recognition", section 3), in the paper's order, which is also {@link OP_NAMES} order without 5x5
 * average pooling (docs/nasnet.md#search-space). Listed explicitly so that a new op in ops.ts never
 * joins this space; the order is the decision encoding and must not change.
 */
export const NASNET_OPS = Object.freeze([
  'identity',
  'conv_1x3_3x1',
  'conv_1x7_7x1',
  'dil_conv_3x3',
  'avg_pool_3x3',
  'max_pool_3x3',
  'max_pool_5x5',
  'max_pool_7x7',
  'conv_1x1',
  'conv_3x3',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'sep_conv_7x7',
] as const satisfies readonly OpName[]);

/** The NASNet paper's space: its 13 ops ({@link NASNET_OPS}), B = 5, add and concat. */
export const NASNET_SPACE: SearchSpace = Object.freeze({
  name: 'nasnet',
  ops: NASNET_OPS,
  blocks: 5,
  combines: COMBINES,
});

/** The named spaces, by name. */
export const SEARCH_SPACES: Readonly<Record<string, SearchSpace>> = Object.freeze({
  default: DEFAULT_SPACE,
  nasnet: NASNET_SPACE,
});
