// Original file: proto/nas/v1/genotype.proto

/**
 * How a block combines the results of its two ops.
 */
export const Combine = {
  /**
   * Not set: always rejected.
   */
  COMBINE_UNSPECIFIED: 'COMBINE_UNSPECIFIED',
  /**
   * Element-wise addition.
   */
  COMBINE_ADD: 'COMBINE_ADD',
  /**
   * Concatenation along the filter axis.
   */
  COMBINE_CONCAT: 'COMBINE_CONCAT',
} as const;

/**
 * How a block combines the results of its two ops.
 */
export type Combine =
  /**
   * Not set: always rejected.
   */
  | 'COMBINE_UNSPECIFIED'
  | 0
  /**
   * Element-wise addition.
   */
  | 'COMBINE_ADD'
  | 1
  /**
   * Concatenation along the filter axis.
   */
  | 'COMBINE_CONCAT'
  | 2

/**
 * How a block combines the results of its two ops.
 */
export type Combine__Output = typeof Combine[keyof typeof Combine]
