/** Errors of the trial processes a trainer server runs its trials in. */
import { CellsearchError } from '../../shared/errors.ts';
import type { RefusedStatus, RemoteFailure } from './runner-protocol.ts';

/** A trial process could not load its backend: carries the code and message of its error. */
export class TrialProcessStartError extends CellsearchError {
  constructor(readonly failure: RemoteFailure) {
    super(failure.code, failure.message);
  }
}

/**
 * The trial process refused a trial with this gRPC status (worked out there by trialStatus);
 * `healthy` is false when the refusal was a fault after which the process must be replaced.
 */
export class RemoteStatusError extends CellsearchError {
  constructor(
    readonly status: RefusedStatus,
    readonly healthy: boolean,
  ) {
    super('TRIAL_REFUSED', status.details);
  }
}

/** Every trial process is busy or being replaced after a fault (gRPC UNAVAILABLE: try elsewhere). */
export class TrainerRecoveringError extends CellsearchError {
  constructor() {
    super(
      'TRAINER_RECOVERING',
      'the trainer is replacing a trial process after a fault and cannot take a trial now; retry shortly or on another trainer',
    );
  }
}
