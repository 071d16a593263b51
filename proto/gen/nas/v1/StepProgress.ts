// Original file: proto/nas/v1/trainer_service.proto


/**
 * Training progress.
 */
export interface StepProgress {
  /**
   * Training steps done so far in this trial, over all epochs.
   */
  'step'?: (number);
  /**
   * Training steps of the whole trial (epochs times steps per epoch).
   */
  'totalSteps'?: (number);
}

/**
 * Training progress.
 */
export interface StepProgress__Output {
  /**
   * Training steps done so far in this trial, over all epochs.
   */
  'step': (number);
  /**
   * Training steps of the whole trial (epochs times steps per epoch).
   */
  'totalSteps': (number);
}
