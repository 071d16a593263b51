/** Errors of the search strategies. */
import { CellsearchError } from '../../shared/errors.ts';

/** A result told for a candidate that is not pending: never asked for, or already told. */
export class UnknownCandidateError extends CellsearchError {
  constructor(readonly candidateId: number) {
    super(
      'UNKNOWN_CANDIDATE',
      `candidate ${candidateId} is not pending: it was never asked for or its result was already told`,
    );
  }
}

/** A snapshot that cannot restore a strategy built from this config and search space. */
export class SnapshotMismatchError extends CellsearchError {
  constructor(message: string) {
    super('SNAPSHOT_MISMATCH', message);
  }
}

/** A reward that is neither null (failed trial) nor a finite number. */
export class InvalidRewardError extends CellsearchError {
  constructor(
    readonly candidateId: number,
    readonly reward: unknown,
  ) {
    super(
      'INVALID_REWARD',
      `reward ${String(reward)} for candidate ${candidateId} is not a finite number; ` +
        'tell null for a failed trial',
    );
  }
}

/** Throws {@link InvalidRewardError} unless `reward` is null or a finite number. */
export function checkReward(candidateId: number, reward: number | null): void {
  if (reward !== null && !Number.isFinite(reward))
    throw new InvalidRewardError(candidateId, reward);
}
