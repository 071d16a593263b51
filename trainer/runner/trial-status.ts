/**
 * The gRPC status a trial ends with when it fails for a reason a trial process can know: bad input
 * -> INVALID_ARGUMENT, an unreadable dataset -> FAILED_PRECONDITION, out of memory or over the memory
 * limit -> RESOURCE_EXHAUSTED, abort -> CANCELLED, anything else -> INTERNAL with a generic message.
 * A trial process works it out for its `refused` message; the server's toStatus adds the server's
 * own refusals on top of it, so there is still one mapping, layered as the trainer is.
 */
import { status } from '@grpc/grpc-js';
import { CellsearchError, InvalidValueError } from '../../shared/errors.ts';
import { TrialTooLargeError } from '../../shared/memory-fit.ts';
import { DatasetFileError } from '../data/errors.ts';
import { RemoteStatusError, TrainerRecoveringError } from './errors.ts';

/** A gRPC status for a failed call. `internal` marks errors nobody expected: log their stacks. */
export interface CallStatus {
  readonly code: status;
  readonly details: string;
  readonly internal: boolean;
}

/** Messages of out-of-memory errors from TensorFlow, WebAssembly and V8. */
const OUT_OF_MEMORY = /\bOOM\b|out of memory|allocation failed|Maximum memory size exceeded/i;

/** The status of an error that is not INTERNAL, with `details` bounded for the trailers. */
export function expectedStatus(code: status, details: string): CallStatus {
  return { code, details: boundedDetails(details), internal: false };
}

/** The status a trial that failed with `err` ends with. */
export function trialStatus(err: unknown): CallStatus {
  if (err instanceof RemoteStatusError) return expectedStatus(err.status.code, err.status.details);
  if (err instanceof TrainerRecoveringError) return expectedStatus(status.UNAVAILABLE, err.message);
  if (err instanceof InvalidValueError) return expectedStatus(status.INVALID_ARGUMENT, err.message);
  if (err instanceof DatasetFileError) {
    return expectedStatus(status.FAILED_PRECONDITION, `dataset: cannot read ${err.message}`);
  }
  if (err instanceof TrialTooLargeError)
    return expectedStatus(status.RESOURCE_EXHAUSTED, err.message);
  if (err instanceof CellsearchError && err.code === 'INVALID_ARGUMENT') {
    return expectedStatus(status.INVALID_ARGUMENT, err.message);
  }
  if (err instanceof Error && err.name === 'AbortError')
    return expectedStatus(status.CANCELLED, 'cancelled');
  if (err instanceof Error && OUT_OF_MEMORY.test(err.message)) {
    return expectedStatus(status.RESOURCE_EXHAUSTED, `out of memory: ${err.message}`);
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
