// Original file: proto/nas/v1/genotype.proto

import type { Cell as _nas_v1_Cell, Cell__Output as _nas_v1_Cell__Output } from '../../nas/v1/Cell.ts';

/**
 * A genotype: the searched Normal and Reduction cells.
 */
export interface Genotype {
  /**
   * The Normal cell (keeps height and width).
   */
  'normal'?: (_nas_v1_Cell | null);
  /**
   * The Reduction cell (halves height and width, doubles filters).
   */
  'reduction'?: (_nas_v1_Cell | null);
}

/**
 * A genotype: the searched Normal and Reduction cells.
 */
export interface Genotype__Output {
  /**
   * The Normal cell (keeps height and width).
   */
  'normal': (_nas_v1_Cell__Output | null);
  /**
   * The Reduction cell (halves height and width, doubles filters).
   */
  'reduction': (_nas_v1_Cell__Output | null);
}
