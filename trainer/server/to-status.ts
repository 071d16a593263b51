/**
 * The one mapping from errors to gRPC status at the server boundary: the server's own refusals
 * (outside the data root -> PERMISSION_DENIED, at capacity -> RESOURCE_EXHAUSTED, shutting down ->
 * UNAVAILABLE), then whatever a trial itself fails with (../runner/trial-status.ts: bad input,
 * unreadable dataset, out of memory, abort, else INTERNAL with a generic message; the caller logs
 * the stack).
 */
import { status } from '@grpc/grpc-js';
import { expectedStatus, trialStatus, type CallStatus } from '../runner/trial-status.ts';
import { DatasetOutsideRootError } from '../data/errors.ts';
import { TrainerBusyError, TrainerClosingError } from './errors.ts';

/** The status a call that failed with `err` ends with. */
export function toStatus(err: unknown): CallStatus {
  if (err instanceof DatasetOutsideRootError)
    return expectedStatus(status.PERMISSION_DENIED, err.message);
  if (err instanceof TrainerBusyError)
    return expectedStatus(status.RESOURCE_EXHAUSTED, err.message);
  if (err instanceof TrainerClosingError) return expectedStatus(status.UNAVAILABLE, err.message);
  return trialStatus(err);
}
