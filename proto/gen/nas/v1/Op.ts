// Original file: proto/nas/v1/genotype.proto

/**
 * An operation a block applies to one of its inputs (shared/ops.ts). Dilated convolution uses rate 2;
 * separable convolutions are applied twice, as in the released NASNet code.
 */
export const Op = {
  /**
   * Not set: always rejected.
   */
  OP_UNSPECIFIED: 'OP_UNSPECIFIED',
  /**
   * The input unchanged (projected by a 1x1 convolution where its shape must change).
   */
  OP_IDENTITY: 'OP_IDENTITY',
  /**
   * 1x3 then 3x1 convolution.
   */
  OP_CONV_1X3_3X1: 'OP_CONV_1X3_3X1',
  /**
   * 1x7 then 7x1 convolution.
   */
  OP_CONV_1X7_7X1: 'OP_CONV_1X7_7X1',
  /**
   * 3x3 dilated convolution, rate 2.
   */
  OP_DIL_CONV_3X3: 'OP_DIL_CONV_3X3',
  /**
   * 3x3 average pooling.
   */
  OP_AVG_POOL_3X3: 'OP_AVG_POOL_3X3',
  /**
   * 5x5 average pooling (not in the paper's search space).
   */
  OP_AVG_POOL_5X5: 'OP_AVG_POOL_5X5',
  /**
   * 3x3 max pooling.
   */
  OP_MAX_POOL_3X3: 'OP_MAX_POOL_3X3',
  /**
   * 5x5 max pooling.
   */
  OP_MAX_POOL_5X5: 'OP_MAX_POOL_5X5',
  /**
   * 7x7 max pooling.
   */
  OP_MAX_POOL_7X7: 'OP_MAX_POOL_7X7',
  /**
   * 1x1 convolution.
   */
  OP_CONV_1X1: 'OP_CONV_1X1',
  /**
   * 3x3 convolution.
   */
  OP_CONV_3X3: 'OP_CONV_3X3',
  /**
   * 3x3 depthwise-separable convolution.
   */
  OP_SEP_CONV_3X3: 'OP_SEP_CONV_3X3',
  /**
   * 5x5 depthwise-separable convolution.
   */
  OP_SEP_CONV_5X5: 'OP_SEP_CONV_5X5',
  /**
   * 7x7 depthwise-separable convolution.
   */
  OP_SEP_CONV_7X7: 'OP_SEP_CONV_7X7',
} as const;

/**
 * An operation a block applies to one of its inputs (shared/ops.ts). Dilated convolution uses rate 2;
 * separable convolutions are applied twice, as in the released NASNet code.
 */
export type Op =
  /**
   * Not set: always rejected.
   */
  | 'OP_UNSPECIFIED'
  | 0
  /**
   * The input unchanged (projected by a 1x1 convolution where its shape must change).
   */
  | 'OP_IDENTITY'
  | 1
  /**
   * 1x3 then 3x1 convolution.
   */
  | 'OP_CONV_1X3_3X1'
  | 2
  /**
   * 1x7 then 7x1 convolution.
   */
  | 'OP_CONV_1X7_7X1'
  | 3
  /**
   * 3x3 dilated convolution, rate 2.
   */
  | 'OP_DIL_CONV_3X3'
  | 4
  /**
   * 3x3 average pooling.
   */
  | 'OP_AVG_POOL_3X3'
  | 5
  /**
   * 5x5 average pooling (not in the paper's search space).
   */
  | 'OP_AVG_POOL_5X5'
  | 6
  /**
   * 3x3 max pooling.
   */
  | 'OP_MAX_POOL_3X3'
  | 7
  /**
   * 5x5 max pooling.
   */
  | 'OP_MAX_POOL_5X5'
  | 8
  /**
   * 7x7 max pooling.
   */
  | 'OP_MAX_POOL_7X7'
  | 9
  /**
   * 1x1 convolution.
   */
  | 'OP_CONV_1X1'
  | 10
  /**
   * 3x3 convolution.
   */
  | 'OP_CONV_3X3'
  | 11
  /**
   * 3x3 depthwise-separable convolution.
   */
  | 'OP_SEP_CONV_3X3'
  | 12
  /**
   * 5x5 depthwise-separable convolution.
   */
  | 'OP_SEP_CONV_5X5'
  | 13
  /**
   * 7x7 depthwise-separable convolution.
   */
  | 'OP_SEP_CONV_7X7'
  | 14

/**
 * An operation a block applies to one of its inputs (shared/ops.ts). Dilated convolution uses rate 2;
 * separable convolutions are applied twice, as in the released NASNet code.
 */
export type Op__Output = typeof Op[keyof typeof Op]
