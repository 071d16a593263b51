// Original file: proto/nas/v1/genotype.proto

import type { Op as _nas_v1_Op, Op__Output as _nas_v1_Op__Output } from '../../nas/v1/Op.ts';
import type { Combine as _nas_v1_Combine, Combine__Output as _nas_v1_Combine__Output } from '../../nas/v1/Combine.ts';

/**
 * One block: two hidden-state inputs, an op applied to each, and how the two results combine.
 * Hidden states: 0 = h_i (the previous cell's output), 1 = h_{i-1}, 2 + b = the output of block b;
 * block b may read any state below 2 + b.
 */
export interface Block {
  /**
   * The hidden state the first op reads.
   */
  'inputA'?: (number);
  /**
   * The op applied to input_a.
   */
  'opA'?: (_nas_v1_Op);
  /**
   * The hidden state the second op reads.
   */
  'inputB'?: (number);
  /**
   * The op applied to input_b.
   */
  'opB'?: (_nas_v1_Op);
  /**
   * How the two op outputs combine.
   */
  'combine'?: (_nas_v1_Combine);
}

/**
 * One block: two hidden-state inputs, an op applied to each, and how the two results combine.
 * Hidden states: 0 = h_i (the previous cell's output), 1 = h_{i-1}, 2 + b = the output of block b;
 * block b may read any state below 2 + b.
 */
export interface Block__Output {
  /**
   * The hidden state the first op reads.
   */
  'inputA': (number);
  /**
   * The op applied to input_a.
   */
  'opA': (_nas_v1_Op__Output);
  /**
   * The hidden state the second op reads.
   */
  'inputB': (number);
  /**
   * The op applied to input_b.
   */
  'opB': (_nas_v1_Op__Output);
  /**
   * How the two op outputs combine.
   */
  'combine': (_nas_v1_Combine__Output);
}
