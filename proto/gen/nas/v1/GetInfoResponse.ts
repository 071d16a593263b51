// Original file: proto/nas/v1/trainer_service.proto

import type { Long } from '@grpc/proto-loader';

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
  /**
   * The most memory (bytes) a trial's estimate may need here; a Train call for a trial whose
   * estimate exceeds it fails with RESOURCE_EXHAUSTED. 0: no limit (trainers before protocol 1.2).
   */
  'maxMemoryBytes'?: (number | string | Long);
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
  /**
   * The most memory (bytes) a trial's estimate may need here; a Train call for a trial whose
   * estimate exceeds it fails with RESOURCE_EXHAUSTED. 0: no limit (trainers before protocol 1.2).
   */
  'maxMemoryBytes': (number);
}
