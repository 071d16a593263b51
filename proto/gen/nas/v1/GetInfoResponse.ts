// Original file: proto/nas/v1/trainer_service.proto


/**
 * What a trainer is and how much it can take.
 */
export interface GetInfoResponse {
  /**
   * Trials it runs at once; a Train call beyond them fails with RESOURCE_EXHAUSTED.
   */
  'capacity'?: (number);
  /**
   * Trials running now.
   */
  'running'?: (number);
  /**
   * The tfjs backend, e.g. "tensorflow", "wasm" or "cpu".
   */
  'backend'?: (string);
  /**
   * The device in words.
   */
  'device'?: (string);
  /**
   * The protocol version, "MAJOR.MINOR": MAJOR is the package's (nas.v1), MINOR grows with
   * backward-compatible additions.
   */
  'protocolVersion'?: (string);
  /**
   * The cellsearch version of the trainer.
   */
  'cellsearchVersion'?: (string);
}

/**
 * What a trainer is and how much it can take.
 */
export interface GetInfoResponse__Output {
  /**
   * Trials it runs at once; a Train call beyond them fails with RESOURCE_EXHAUSTED.
   */
  'capacity': (number);
  /**
   * Trials running now.
   */
  'running': (number);
  /**
   * The tfjs backend, e.g. "tensorflow", "wasm" or "cpu".
   */
  'backend': (string);
  /**
   * The device in words.
   */
  'device': (string);
  /**
   * The protocol version, "MAJOR.MINOR": MAJOR is the package's (nas.v1), MINOR grows with
   * backward-compatible additions.
   */
  'protocolVersion': (string);
  /**
   * The cellsearch version of the trainer.
   */
  'cellsearchVersion': (string);
}
