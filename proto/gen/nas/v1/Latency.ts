// Original file: proto/nas/v1/trial.proto


/**
 * Measured inference latency on the trainer's device (median of several runs).
 */
export interface Latency {
  /**
   * Milliseconds for a batch of one image.
   */
  'batch1Ms'?: (number | string);
  /**
   * Milliseconds for a batch of batch_size images.
   */
  'batchMs'?: (number | string);
  /**
   * The batch size of batch_ms.
   */
  'batchSize'?: (number);
}

/**
 * Measured inference latency on the trainer's device (median of several runs).
 */
export interface Latency__Output {
  /**
   * Milliseconds for a batch of one image.
   */
  'batch1Ms': (number);
  /**
   * Milliseconds for a batch of batch_size images.
   */
  'batchMs': (number);
  /**
   * The batch size of batch_ms.
   */
  'batchSize': (number);
}
