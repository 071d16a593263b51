// Original file: proto/nas/v1/trainer_service.proto


/**
 * Asks a trainer to describe itself.
 */
export interface GetInfoRequest {
}

/**
 * Asks a trainer to describe itself.
 */
export interface GetInfoRequest__Output {
}
