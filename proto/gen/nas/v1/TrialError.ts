// Original file: proto/nas/v1/trainer_service.proto


/**
 * A trial of a session that ended without a result.
 */
export interface TrialError {
  /**
   * The gRPC status code (google.rpc.Code), e.g. 3 for INVALID_ARGUMENT.
   */
  'code'?: (number);
  /**
   * What was wrong, as in the status details of Train.
   */
  'details'?: (string);
}

/**
 * A trial of a session that ended without a result.
 */
export interface TrialError__Output {
  /**
   * The gRPC status code (google.rpc.Code), e.g. 3 for INVALID_ARGUMENT.
   */
  'code': (number);
  /**
   * What was wrong, as in the status details of Train.
   */
  'details': (string);
}
