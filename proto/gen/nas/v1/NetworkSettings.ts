// Original file: proto/nas/v1/trial.proto

import type { Skeleton as _nas_v1_Skeleton, Skeleton__Output as _nas_v1_Skeleton__Output } from '../../nas/v1/Skeleton.ts';

/**
 * The network around the cells; image size, channels and classes come from the dataset.
 */
export interface NetworkSettings {
  /**
   * N: Normal cells per stack (there are three stacks).
   */
  'cells'?: (number);
  /**
   * F of "N@F": filters of the penultimate layer, a multiple of 24.
   */
  'filters'?: (number);
  /**
   * The skeleton.
   */
  'skeleton'?: (_nas_v1_Skeleton);
  /**
   * Whether the auxiliary classifier after the second stack is built.
   */
  'auxHead'?: (boolean);
  /**
   * Stem width factor; when absent, 3 for CIFAR and 1 for ImageNet.
   */
  'stemMultiplier'?: (number | string);
  '_stemMultiplier'?: "stemMultiplier";
}

/**
 * The network around the cells; image size, channels and classes come from the dataset.
 */
export interface NetworkSettings__Output {
  /**
   * N: Normal cells per stack (there are three stacks).
   */
  'cells': (number);
  /**
   * F of "N@F": filters of the penultimate layer, a multiple of 24.
   */
  'filters': (number);
  /**
   * The skeleton.
   */
  'skeleton': (_nas_v1_Skeleton__Output);
  /**
   * Whether the auxiliary classifier after the second stack is built.
   */
  'auxHead': (boolean);
  /**
   * Stem width factor; when absent, 3 for CIFAR and 1 for ImageNet.
   */
  'stemMultiplier'?: (number);
  '_stemMultiplier'?: "stemMultiplier";
}
