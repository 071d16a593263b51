// Original file: proto/nas/v1/genotype.proto

import type { Block as _nas_v1_Block, Block__Output as _nas_v1_Block__Output } from '../../nas/v1/Block.ts';

/**
 * A cell: its blocks and, optionally, the states concatenated as its output.
 */
export interface Cell {
  /**
   * The blocks, in order (5 in the NASNet search space).
   */
  'blocks'?: (_nas_v1_Block)[];
  /**
   * The hidden states concatenated as the cell's output, in increasing order. Empty: the paper's rule
   * (the block outputs that no block reads). An explicit list reproduces the released NASNet-A.
   */
  'output'?: (number)[];
}

/**
 * A cell: its blocks and, optionally, the states concatenated as its output.
 */
export interface Cell__Output {
  /**
   * The blocks, in order (5 in the NASNet search space).
   */
  'blocks': (_nas_v1_Block__Output)[];
  /**
   * The hidden states concatenated as the cell's output, in increasing order. Empty: the paper's rule
   * (the block outputs that no block reads). An explicit list reproduces the released NASNet-A.
   */
  'output': (number)[];
}
