// Original file: proto/nas/v1/trainer_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckDatasetRequest as _nas_v1_CheckDatasetRequest, CheckDatasetRequest__Output as _nas_v1_CheckDatasetRequest__Output } from '../../nas/v1/CheckDatasetRequest.ts';
import type { CheckDatasetResponse as _nas_v1_CheckDatasetResponse, CheckDatasetResponse__Output as _nas_v1_CheckDatasetResponse__Output } from '../../nas/v1/CheckDatasetResponse.ts';
import type { GetInfoRequest as _nas_v1_GetInfoRequest, GetInfoRequest__Output as _nas_v1_GetInfoRequest__Output } from '../../nas/v1/GetInfoRequest.ts';
import type { GetInfoResponse as _nas_v1_GetInfoResponse, GetInfoResponse__Output as _nas_v1_GetInfoResponse__Output } from '../../nas/v1/GetInfoResponse.ts';
import type { SessionRequest as _nas_v1_SessionRequest, SessionRequest__Output as _nas_v1_SessionRequest__Output } from '../../nas/v1/SessionRequest.ts';
import type { SessionResponse as _nas_v1_SessionResponse, SessionResponse__Output as _nas_v1_SessionResponse__Output } from '../../nas/v1/SessionResponse.ts';
import type { TrainRequest as _nas_v1_TrainRequest, TrainRequest__Output as _nas_v1_TrainRequest__Output } from '../../nas/v1/TrainRequest.ts';
import type { TrainResponse as _nas_v1_TrainResponse, TrainResponse__Output as _nas_v1_TrainResponse__Output } from '../../nas/v1/TrainResponse.ts';

/**
 * A trainer: trains candidate networks, up to its capacity at once. Controllers run every trial
 * over Session (protocol 1.1 and later); Train is a compatibility shim for one-off calls.
 */
export interface TrainerServiceClient extends grpc.Client {
  /**
   * Reads a dataset as a trial on this trainer would and describes it, so a controller can refuse a
   * search before its first trial (protocol 1.3). Errors: INVALID_ARGUMENT (a malformed spec),
   * FAILED_PRECONDITION (a dataset the trainer cannot read, named by its file), PERMISSION_DENIED (a
   * dataset outside the trainer's data root), UNAUTHENTICATED. Trainers before 1.3: UNIMPLEMENTED.
   */
  CheckDataset(argument: _nas_v1_CheckDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  CheckDataset(argument: _nas_v1_CheckDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  CheckDataset(argument: _nas_v1_CheckDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  CheckDataset(argument: _nas_v1_CheckDatasetRequest, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Reads a dataset as a trial on this trainer would and describes it, so a controller can refuse a
   * search before its first trial (protocol 1.3). Errors: INVALID_ARGUMENT (a malformed spec),
   * FAILED_PRECONDITION (a dataset the trainer cannot read, named by its file), PERMISSION_DENIED (a
   * dataset outside the trainer's data root), UNAUTHENTICATED. Trainers before 1.3: UNIMPLEMENTED.
   */
  checkDataset(argument: _nas_v1_CheckDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  checkDataset(argument: _nas_v1_CheckDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  checkDataset(argument: _nas_v1_CheckDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  checkDataset(argument: _nas_v1_CheckDatasetRequest, callback: grpc.requestCallback<_nas_v1_CheckDatasetResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Describes the trainer: capacity, running trials, backend, device and versions.
   */
  GetInfo(argument: _nas_v1_GetInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  GetInfo(argument: _nas_v1_GetInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  GetInfo(argument: _nas_v1_GetInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  GetInfo(argument: _nas_v1_GetInfoRequest, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Describes the trainer: capacity, running trials, backend, device and versions.
   */
  getInfo(argument: _nas_v1_GetInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  getInfo(argument: _nas_v1_GetInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  getInfo(argument: _nas_v1_GetInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  getInfo(argument: _nas_v1_GetInfoRequest, callback: grpc.requestCallback<_nas_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Many trials over one long-lived stream: the one trial transport of nas-ctl, which dispatches
   * thousands of trials a second and cancels each on its own; each trial costs two small messages
   * instead of a call (protocol 1.1; nas-ctl refuses a trainer without it). The caller names each trial with
   * a key unique within the session, starts it, and may cancel it; the trainer streams each trial's
   * events (the result last) or, where Train would end with an error status, a TrialError with that
   * status. Closing the session cancels the trials still running on it. Same capacity, limits and
   * authentication as Train.
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_nas_v1_SessionRequest, _nas_v1_SessionResponse__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_nas_v1_SessionRequest, _nas_v1_SessionResponse__Output>;
  /**
   * Many trials over one long-lived stream: the one trial transport of nas-ctl, which dispatches
   * thousands of trials a second and cancels each on its own; each trial costs two small messages
   * instead of a call (protocol 1.1; nas-ctl refuses a trainer without it). The caller names each trial with
   * a key unique within the session, starts it, and may cancel it; the trainer streams each trial's
   * events (the result last) or, where Train would end with an error status, a TrialError with that
   * status. Closing the session cancels the trials still running on it. Same capacity, limits and
   * authentication as Train.
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_nas_v1_SessionRequest, _nas_v1_SessionResponse__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_nas_v1_SessionRequest, _nas_v1_SessionResponse__Output>;
  
  /**
   * Trains one candidate and streams its progress, ending with exactly one result: a thin
   * compatibility shim for grpcurl and controllers before protocol 1.1, which runs the trial on the
   * same path as a Session trial (only the framing differs). nas-ctl never calls it. Cancelling the
   * call cancels the trial: the trainer stops between two steps and frees the network. Errors:
   * INVALID_ARGUMENT (a genotype or setting, named by its path), FAILED_PRECONDITION (a dataset the
   * trainer cannot read, named by its path), PERMISSION_DENIED (a dataset outside the trainer's data
   * root), RESOURCE_EXHAUSTED (the trainer already runs `capacity` trials), UNAUTHENTICATED.
   * A failure during training is not an error but a result with status TRIAL_STATUS_FAILED.
   */
  Train(argument: _nas_v1_TrainRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_nas_v1_TrainResponse__Output>;
  Train(argument: _nas_v1_TrainRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_nas_v1_TrainResponse__Output>;
  /**
   * Trains one candidate and streams its progress, ending with exactly one result: a thin
   * compatibility shim for grpcurl and controllers before protocol 1.1, which runs the trial on the
   * same path as a Session trial (only the framing differs). nas-ctl never calls it. Cancelling the
   * call cancels the trial: the trainer stops between two steps and frees the network. Errors:
   * INVALID_ARGUMENT (a genotype or setting, named by its path), FAILED_PRECONDITION (a dataset the
   * trainer cannot read, named by its path), PERMISSION_DENIED (a dataset outside the trainer's data
   * root), RESOURCE_EXHAUSTED (the trainer already runs `capacity` trials), UNAUTHENTICATED.
   * A failure during training is not an error but a result with status TRIAL_STATUS_FAILED.
   */
  train(argument: _nas_v1_TrainRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_nas_v1_TrainResponse__Output>;
  train(argument: _nas_v1_TrainRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_nas_v1_TrainResponse__Output>;
  
}

/**
 * A trainer: trains candidate networks, up to its capacity at once. Controllers run every trial
 * over Session (protocol 1.1 and later); Train is a compatibility shim for one-off calls.
 */
export interface TrainerServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Reads a dataset as a trial on this trainer would and describes it, so a controller can refuse a
   * search before its first trial (protocol 1.3). Errors: INVALID_ARGUMENT (a malformed spec),
   * FAILED_PRECONDITION (a dataset the trainer cannot read, named by its file), PERMISSION_DENIED (a
   * dataset outside the trainer's data root), UNAUTHENTICATED. Trainers before 1.3: UNIMPLEMENTED.
   */
  CheckDataset: grpc.handleUnaryCall<_nas_v1_CheckDatasetRequest__Output, _nas_v1_CheckDatasetResponse>;
  
  /**
   * Describes the trainer: capacity, running trials, backend, device and versions.
   */
  GetInfo: grpc.handleUnaryCall<_nas_v1_GetInfoRequest__Output, _nas_v1_GetInfoResponse>;
  
  /**
   * Many trials over one long-lived stream: the one trial transport of nas-ctl, which dispatches
   * thousands of trials a second and cancels each on its own; each trial costs two small messages
   * instead of a call (protocol 1.1; nas-ctl refuses a trainer without it). The caller names each trial with
   * a key unique within the session, starts it, and may cancel it; the trainer streams each trial's
   * events (the result last) or, where Train would end with an error status, a TrialError with that
   * status. Closing the session cancels the trials still running on it. Same capacity, limits and
   * authentication as Train.
   */
  Session: grpc.handleBidiStreamingCall<_nas_v1_SessionRequest__Output, _nas_v1_SessionResponse>;
  
  /**
   * Trains one candidate and streams its progress, ending with exactly one result: a thin
   * compatibility shim for grpcurl and controllers before protocol 1.1, which runs the trial on the
   * same path as a Session trial (only the framing differs). nas-ctl never calls it. Cancelling the
   * call cancels the trial: the trainer stops between two steps and frees the network. Errors:
   * INVALID_ARGUMENT (a genotype or setting, named by its path), FAILED_PRECONDITION (a dataset the
   * trainer cannot read, named by its path), PERMISSION_DENIED (a dataset outside the trainer's data
   * root), RESOURCE_EXHAUSTED (the trainer already runs `capacity` trials), UNAUTHENTICATED.
   * A failure during training is not an error but a result with status TRIAL_STATUS_FAILED.
   */
  Train: grpc.handleServerStreamingCall<_nas_v1_TrainRequest__Output, _nas_v1_TrainResponse>;
  
}

export interface TrainerServiceDefinition extends grpc.ServiceDefinition {
  CheckDataset: MethodDefinition<_nas_v1_CheckDatasetRequest, _nas_v1_CheckDatasetResponse, _nas_v1_CheckDatasetRequest__Output, _nas_v1_CheckDatasetResponse__Output>
  GetInfo: MethodDefinition<_nas_v1_GetInfoRequest, _nas_v1_GetInfoResponse, _nas_v1_GetInfoRequest__Output, _nas_v1_GetInfoResponse__Output>
  Session: MethodDefinition<_nas_v1_SessionRequest, _nas_v1_SessionResponse, _nas_v1_SessionRequest__Output, _nas_v1_SessionResponse__Output>
  Train: MethodDefinition<_nas_v1_TrainRequest, _nas_v1_TrainResponse, _nas_v1_TrainRequest__Output, _nas_v1_TrainResponse__Output>
}
