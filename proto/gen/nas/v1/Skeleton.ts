// Original file: proto/nas/v1/trial.proto

/**
 * The network skeleton the cells are stacked into.
 */
export const Skeleton = {
  /**
   * Not set: always rejected.
   */
  SKELETON_UNSPECIFIED: 'SKELETON_UNSPECIFIED',
  /**
   * The CIFAR skeleton: a 3x3 convolution stem.
   */
  SKELETON_CIFAR: 'SKELETON_CIFAR',
  /**
   * The ImageNet skeleton: a strided stem and two reduction stem cells.
   */
  SKELETON_IMAGENET: 'SKELETON_IMAGENET',
} as const;

/**
 * The network skeleton the cells are stacked into.
 */
export type Skeleton =
  /**
   * Not set: always rejected.
   */
  | 'SKELETON_UNSPECIFIED'
  | 0
  /**
   * The CIFAR skeleton: a 3x3 convolution stem.
   */
  | 'SKELETON_CIFAR'
  | 1
  /**
   * The ImageNet skeleton: a strided stem and two reduction stem cells.
   */
  | 'SKELETON_IMAGENET'
  | 2

/**
 * The network skeleton the cells are stacked into.
 */
export type Skeleton__Output = typeof Skeleton[keyof typeof Skeleton]
