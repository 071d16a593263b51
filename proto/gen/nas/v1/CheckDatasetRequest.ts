// Original file: proto/nas/v1/trainer_service.proto


/**
 * Asks a trainer whether it can read a dataset.
 */
export interface CheckDatasetRequest {
  /**
   * A dataset spec as in TrainRequest.dataset.
   */
  'dataset'?: (string);
}

/**
 * Asks a trainer whether it can read a dataset.
 */
export interface CheckDatasetRequest__Output {
  /**
   * A dataset spec as in TrainRequest.dataset.
   */
  'dataset': (string);
}
