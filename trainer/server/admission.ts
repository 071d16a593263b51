/**
 * Admission by cost: before a trial builds or reads anything, its memory is estimated from the
 * request alone (shared/memory-estimate.ts) and a trial that cannot fit the trainer's limit is
 * refused with the estimate, its biggest parts and the limit.
 */
import { estimateRequestMemory, type MemoryEstimate } from '../../shared/memory-estimate.ts';
import { memoryRefusal } from '../../shared/memory-fit.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { TrialTooLargeError } from './errors.ts';

/** Where the trainer's limit comes from, as the refusal names it. */
export const TRAINER_LIMIT = "this trainer's memory limit (nas-trainer serve --max-memory)";

/**
 * Checks `request` against `maxMemoryBytes` (undefined: no limit, but arrays larger than JavaScript
 * allows are still refused). Returns the estimate; throws TrialTooLargeError when it cannot fit, and
 * InvalidValueError when the network does not fit the dataset's images.
 */
export function admitTrial(
  request: TrialRequest,
  maxMemoryBytes: number | undefined,
): MemoryEstimate {
  const estimate = estimateRequestMemory(request);
  const refusal = memoryRefusal(estimate, maxMemoryBytes ?? Infinity, TRAINER_LIMIT);
  if (refusal !== null) throw new TrialTooLargeError(refusal);
  return estimate;
}
