// Original file: proto/nas/v1/trainer_service.proto

import type { TrainResponse as _nas_v1_TrainResponse, TrainResponse__Output as _nas_v1_TrainResponse__Output } from '../../nas/v1/TrainResponse.ts';
import type { TrialError as _nas_v1_TrialError, TrialError__Output as _nas_v1_TrialError__Output } from '../../nas/v1/TrialError.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One message of a session from the trainer: an event of one trial, or why it could not run.
 */
export interface SessionResponse {
  /**
   * The trial, by the caller's key.
   */
  'key'?: (number | string | Long);
  /**
   * An event of the trial, exactly as Train streams it; a result is its last message.
   */
  'event'?: (_nas_v1_TrainResponse | null);
  /**
   * The trial ended without a result, with the status a Train call would have ended with.
   */
  'error'?: (_nas_v1_TrialError | null);
  /**
   * The event or the error.
   */
  'body'?: "event"|"error";
}

/**
 * One message of a session from the trainer: an event of one trial, or why it could not run.
 */
export interface SessionResponse__Output {
  /**
   * The trial, by the caller's key.
   */
  'key': (number);
  /**
   * An event of the trial, exactly as Train streams it; a result is its last message.
   */
  'event'?: (_nas_v1_TrainResponse__Output | null);
  /**
   * The trial ended without a result, with the status a Train call would have ended with.
   */
  'error'?: (_nas_v1_TrialError__Output | null);
  /**
   * The event or the error.
   */
  'body'?: "event"|"error";
}
