// Original file: proto/nas/v1/trainer_service.proto


/**
 * Cancels one trial of a session.
 */
export interface CancelTrial {
}

/**
 * Cancels one trial of a session.
 */
export interface CancelTrial__Output {
}
