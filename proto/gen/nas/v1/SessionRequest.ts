// Original file: proto/nas/v1/trainer_service.proto

import type { TrainRequest as _nas_v1_TrainRequest, TrainRequest__Output as _nas_v1_TrainRequest__Output } from '../../nas/v1/TrainRequest.ts';
import type { CancelTrial as _nas_v1_CancelTrial, CancelTrial__Output as _nas_v1_CancelTrial__Output } from '../../nas/v1/CancelTrial.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One message of a session from the caller: start or cancel one trial.
 */
export interface SessionRequest {
  /**
   * The trial this message is about: chosen by the caller, unique within the session.
   */
  'key'?: (number | string | Long);
  /**
   * Start training this candidate.
   */
  'start'?: (_nas_v1_TrainRequest | null);
  /**
   * Cancel the trial, as cancelling its Train call would.
   */
  'cancel'?: (_nas_v1_CancelTrial | null);
  /**
   * What to do.
   */
  'action'?: "start"|"cancel";
}

/**
 * One message of a session from the caller: start or cancel one trial.
 */
export interface SessionRequest__Output {
  /**
   * The trial this message is about: chosen by the caller, unique within the session.
   */
  'key': (number);
  /**
   * Start training this candidate.
   */
  'start'?: (_nas_v1_TrainRequest__Output | null);
  /**
   * Cancel the trial, as cancelling its Train call would.
   */
  'cancel'?: (_nas_v1_CancelTrial__Output | null);
  /**
   * What to do.
   */
  'action'?: "start"|"cancel";
}
