// Original file: proto/nas/v1/trainer_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What a dataset holds, as the trainer read it.
 */
export interface CheckDatasetResponse {
  /**
   * Image height in pixels.
   */
  'height'?: (number);
  /**
   * Image width in pixels.
   */
  'width'?: (number);
  /**
   * Image channels: 1 for grey, 3 for RGB.
   */
  'channels'?: (number);
  /**
   * Classes: labels are 0 .. classes - 1.
   */
  'classes'?: (number);
  /**
   * Examples in the training split.
   */
  'trainCount'?: (number | string | Long);
  /**
   * Examples in the test split (0: none).
   */
  'testCount'?: (number | string | Long);
}

/**
 * What a dataset holds, as the trainer read it.
 */
export interface CheckDatasetResponse__Output {
  /**
   * Image height in pixels.
   */
  'height': (number);
  /**
   * Image width in pixels.
   */
  'width': (number);
  /**
   * Image channels: 1 for grey, 3 for RGB.
   */
  'channels': (number);
  /**
   * Classes: labels are 0 .. classes - 1.
   */
  'classes': (number);
  /**
   * Examples in the training split.
   */
  'trainCount': (number);
  /**
   * Examples in the test split (0: none).
   */
  'testCount': (number);
}
