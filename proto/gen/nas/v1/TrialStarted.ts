// Original file: proto/nas/v1/trainer_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The network is planned and training starts.
 */
export interface TrialStarted {
  /**
   * The tfjs backend that trains it.
   */
  'backend'?: (string);
  /**
   * The device in words.
   */
  'device'?: (string);
  /**
   * Trainable parameters.
   */
  'params'?: (number | string | Long);
  /**
   * Multiply-adds of one forward pass of one image.
   */
  'multAdds'?: (number | string | Long);
}

/**
 * The network is planned and training starts.
 */
export interface TrialStarted__Output {
  /**
   * The tfjs backend that trains it.
   */
  'backend': (string);
  /**
   * The device in words.
   */
  'device': (string);
  /**
   * Trainable parameters.
   */
  'params': (number);
  /**
   * Multiply-adds of one forward pass of one image.
   */
  'multAdds': (number);
}
