/** Errors of the trainer server: why a trial was refused before it started. */
import { CellsearchError } from '../../shared/errors.ts';

/** The trainer already runs as many trials as its capacity allows (gRPC RESOURCE_EXHAUSTED). */
export class TrainerBusyError extends CellsearchError {
  constructor(readonly capacity: number) {
    super(
      'TRAINER_BUSY',
      `the trainer is busy: it already runs ${capacity} of ${capacity} trial${capacity === 1 ? '' : 's'}; retry later or on another trainer`,
    );
  }
}

/** The trainer is shutting down and takes no new trials (gRPC UNAVAILABLE). */
export class TrainerClosingError extends CellsearchError {
  constructor() {
    super('TRAINER_CLOSING', 'the trainer is shutting down and takes no new trials');
  }
}

/** The server cannot listen on the address asked for (in use, not local, not permitted). */
export class ListenError extends CellsearchError {
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super('LISTEN_FAILED', `cannot listen on ${address}: ${reason}`);
  }
}

/** A trial whose estimated memory exceeds the trainer's limit (gRPC RESOURCE_EXHAUSTED). */
export { TrialTooLargeError } from '../../shared/memory-fit.ts';
