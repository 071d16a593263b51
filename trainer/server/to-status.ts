/**
 * The one mapping from errors to gRPC status at the server boundary:
 * bad input -> INVALID_ARGUMENT, an unreadable dataset -> FAILED_PRECONDITION, out of memory, over
 * the memory limit or at capacity -> RESOURCE_EXHAUSTED, abort -> CANCELLED, anything else ->
 * INTERNAL with a generic message (the caller logs the stack).
 */
import { status } from '@grpc/grpc-js';
import { CellsearchError, InvalidValueError } from '../../shared/errors.ts';
import { DatasetFileError } from '../data/errors.ts';
import { RemoteStatusError, TrainerRecoveringError } from '../runner/errors.ts';
import {
  DatasetOutsideRootError,
  TrainerBusyError,
  TrainerClosingError,
  TrialTooLargeError,
} from './errors.ts';

/** A gRPC status for a failed call. `internal` marks errors nobody expected: log their stacks. */
export interface CallStatus {
  readonly code: status;
  readonly details: string;
  readonly internal: boolean;
}

/** Messages of out-of-memory errors from TensorFlow, WebAssembly and V8. */
const OUT_OF_MEMORY = /\bOOM\b|out of memory|allocation failed|Maximum memory size exceeded/i;

/** The status a call that failed with `err` ends with. */
export function toStatus(err: unknown): CallStatus {
  const expected = (code: status, details: string): CallStatus => ({
    code,
    details: boundedDetails(details),
    internal: false,
  });
  if (err instanceof RemoteStatusError) return expected(err.status.code, err.status.details);
  if (err instanceof TrainerRecoveringError) return expected(status.UNAVAILABLE, err.message);
  if (err instanceof InvalidValueError) return expected(status.INVALID_ARGUMENT, err.message);
  if (err instanceof DatasetFileError) {
    return expected(status.FAILED_PRECONDITION, `dataset: cannot read ${err.message}`);
  }
  if (err instanceof DatasetOutsideRootError)
    return expected(status.PERMISSION_DENIED, err.message);
  if (err instanceof TrainerBusyError) return expected(status.RESOURCE_EXHAUSTED, err.message);
  if (err instanceof TrialTooLargeError) return expected(status.RESOURCE_EXHAUSTED, err.message);
  if (err instanceof TrainerClosingError) return expected(status.UNAVAILABLE, err.message);
  if (err instanceof CellsearchError && err.code === 'INVALID_ARGUMENT') {
    return expected(status.INVALID_ARGUMENT, err.message);
  }
  if (err instanceof Error && err.name === 'AbortError')
    return expected(status.CANCELLED, 'cancelled');
  if (err instanceof Error && OUT_OF_MEMORY.test(err.message)) {
    return expected(status.RESOURCE_EXHAUSTED, `out of memory: ${err.message}`);
  }
  return {
    code: status.INTERNAL,
    details: 'internal error in the trainer (its log has the details)',
    internal: true,
  };
}

/**
 * Longest status details sent, in UTF-16 units. grpc-js sends details percent-encoded in the HTTP/2
 * trailers (up to 9 characters per unit), and a client never hears of trailers over its 64 KiB
 * header limit: the call hangs until its deadline. 4096 units stay under 37 KiB.
 */
const MAX_DETAILS = 4096;

/** `details`, cut to {@link MAX_DETAILS} (never inside a surrogate pair) with a note of what was cut. */
function boundedDetails(details: string): string {
  if (details.length <= MAX_DETAILS) return details;
  const low = details.charCodeAt(MAX_DETAILS);
  const end = low >= 0xdc00 && low <= 0xdfff ? MAX_DETAILS - 1 : MAX_DETAILS;
  return `${details.slice(0, end)} ... (${details.length - end} more characters)`;
}
