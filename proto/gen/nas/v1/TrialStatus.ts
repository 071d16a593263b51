// Original file: proto/nas/v1/trial.proto

/**
 * How a trial ended.
 */
export const TrialStatus = {
  /**
   * Not set: never sent.
   */
  TRIAL_STATUS_UNSPECIFIED: 'TRIAL_STATUS_UNSPECIFIED',
  /**
   * Trained to the last epoch.
   */
  TRIAL_STATUS_SUCCEEDED: 'TRIAL_STATUS_SUCCEEDED',
  /**
   * Training failed (a non-finite loss, out of memory); the reason says why.
   */
  TRIAL_STATUS_FAILED: 'TRIAL_STATUS_FAILED',
  /**
   * Cancelled (the trainer is shutting down); the reason says why.
   */
  TRIAL_STATUS_CANCELLED: 'TRIAL_STATUS_CANCELLED',
} as const;

/**
 * How a trial ended.
 */
export type TrialStatus =
  /**
   * Not set: never sent.
   */
  | 'TRIAL_STATUS_UNSPECIFIED'
  | 0
  /**
   * Trained to the last epoch.
   */
  | 'TRIAL_STATUS_SUCCEEDED'
  | 1
  /**
   * Training failed (a non-finite loss, out of memory); the reason says why.
   */
  | 'TRIAL_STATUS_FAILED'
  | 2
  /**
   * Cancelled (the trainer is shutting down); the reason says why.
   */
  | 'TRIAL_STATUS_CANCELLED'
  | 3

/**
 * How a trial ended.
 */
export type TrialStatus__Output = typeof TrialStatus[keyof typeof TrialStatus]
