/** The error a trainer call ends with on the controller side: which trainer, which gRPC status, and whether to retry. */
import { status, type ServiceError } from '@grpc/grpc-js';
import { CellsearchError } from '../../shared/errors.ts';

/**
 * Statuses that say nothing about the candidate, only about the trainer or the connection to it: the
 * trainer is unreachable, vanished, shutting down, busy (at capacity, or out of memory before
 * training), or too slow for the deadline. The same trial may succeed on another try or trainer.
 */
const RETRYABLE: ReadonlySet<status> = new Set([
  status.UNAVAILABLE,
  status.RESOURCE_EXHAUSTED,
  status.DEADLINE_EXCEEDED,
  status.ABORTED,
  status.CANCELLED,
]);

/** A trainer call that failed; `retryable` is true for transient failures (see {@link isRetryableStatus}). */
export class TrainerCallError extends CellsearchError {
  constructor(
    /** The trainer's address. */
    readonly trainer: string,
    /** The gRPC status code. */
    readonly grpcCode: status,
    /** What the trainer (or the transport) said. */
    readonly details: string,
    /** True when the same call may succeed on another try or another trainer. */
    readonly retryable: boolean = isRetryableStatus(grpcCode),
  ) {
    super('TRAINER_CALL_FAILED', `trainer ${trainer}: ${status[grpcCode] ?? grpcCode}: ${details}`);
  }
}

/** True for statuses of transient failures (the trainer or the connection, not the request). */
export function isRetryableStatus(code: status): boolean {
  return RETRYABLE.has(code);
}

/** The TrainerCallError for a failed gRPC call. */
export function callError(trainer: string, err: ServiceError): TrainerCallError {
  return new TrainerCallError(trainer, err.code, err.details || err.message);
}
