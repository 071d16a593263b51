// Original file: proto/nas/v1/trainer_service.proto

import type { TrialStarted as _nas_v1_TrialStarted, TrialStarted__Output as _nas_v1_TrialStarted__Output } from '../../nas/v1/TrialStarted.ts';
import type { StepProgress as _nas_v1_StepProgress, StepProgress__Output as _nas_v1_StepProgress__Output } from '../../nas/v1/StepProgress.ts';
import type { EpochMetrics as _nas_v1_EpochMetrics, EpochMetrics__Output as _nas_v1_EpochMetrics__Output } from '../../nas/v1/EpochMetrics.ts';
import type { TrialResult as _nas_v1_TrialResult, TrialResult__Output as _nas_v1_TrialResult__Output } from '../../nas/v1/TrialResult.ts';

/**
 * One event of a running trial: started, then step progress and epochs, then one result.
 */
export interface TrainResponse {
  /**
   * The network is planned and training starts.
   */
  'started'?: (_nas_v1_TrialStarted | null);
  /**
   * Training progress within the trial (sent at most a few times a second).
   */
  'step'?: (_nas_v1_StepProgress | null);
  /**
   * An epoch finished.
   */
  'epoch'?: (_nas_v1_EpochMetrics | null);
  /**
   * The trial ended; always the last event.
   */
  'result'?: (_nas_v1_TrialResult | null);
  /**
   * The event.
   */
  'event'?: "started"|"step"|"epoch"|"result";
}

/**
 * One event of a running trial: started, then step progress and epochs, then one result.
 */
export interface TrainResponse__Output {
  /**
   * The network is planned and training starts.
   */
  'started'?: (_nas_v1_TrialStarted__Output | null);
  /**
   * Training progress within the trial (sent at most a few times a second).
   */
  'step'?: (_nas_v1_StepProgress__Output | null);
  /**
   * An epoch finished.
   */
  'epoch'?: (_nas_v1_EpochMetrics__Output | null);
  /**
   * The trial ended; always the last event.
   */
  'result'?: (_nas_v1_TrialResult__Output | null);
  /**
   * The event.
   */
  'event'?: "started"|"step"|"epoch"|"result";
}
