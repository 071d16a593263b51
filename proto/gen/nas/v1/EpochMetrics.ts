// Original file: proto/nas/v1/trial.proto


/**
 * Metrics of one finished epoch. Validation fields are NaN when no validation split is held out.
 */
export interface EpochMetrics {
  /**
   * The epoch, from 1.
   */
  'epoch'?: (number);
  /**
   * Mean training loss over the epoch.
   */
  'trainLoss'?: (number | string);
  /**
   * Training accuracy over the epoch, in [0, 1].
   */
  'trainAccuracy'?: (number | string);
  /**
   * Loss on the validation split.
   */
  'validationLoss'?: (number | string);
  /**
   * Accuracy on the validation split, in [0, 1].
   */
  'validationAccuracy'?: (number | string);
  /**
   * Learning rate at the end of the epoch.
   */
  'learningRate'?: (number | string);
  /**
   * Wall-clock seconds the epoch took.
   */
  'seconds'?: (number | string);
  /**
   * Training throughput.
   */
  'imagesPerSecond'?: (number | string);
}

/**
 * Metrics of one finished epoch. Validation fields are NaN when no validation split is held out.
 */
export interface EpochMetrics__Output {
  /**
   * The epoch, from 1.
   */
  'epoch': (number);
  /**
   * Mean training loss over the epoch.
   */
  'trainLoss': (number);
  /**
   * Training accuracy over the epoch, in [0, 1].
   */
  'trainAccuracy': (number);
  /**
   * Loss on the validation split.
   */
  'validationLoss': (number);
  /**
   * Accuracy on the validation split, in [0, 1].
   */
  'validationAccuracy': (number);
  /**
   * Learning rate at the end of the epoch.
   */
  'learningRate': (number);
  /**
   * Wall-clock seconds the epoch took.
   */
  'seconds': (number);
  /**
   * Training throughput.
   */
  'imagesPerSecond': (number);
}
