/**
 * Admission by cost: before a trial builds or reads anything, its memory is estimated from the
 * request alone (shared/memory-estimate.ts) and a trial that cannot fit the trainer's limit is
 * refused with the estimate, its biggest parts and the limit. The estimate takes milliseconds even
 * for the largest networks the schema allows, so the refusal comes at once, never by a deadline.
 */
import { estimateRequestMemory, type MemoryEstimate } from '../../shared/memory-estimate.ts';
import { memoryRefusal } from '../../shared/memory-fit.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { TrialTooLargeError } from './errors.ts';

/** How a refusal names a limit given with `--max-memory`. */
export const TRAINER_LIMIT = "this trainer's memory limit (nas-trainer serve --max-memory)";

/** How a refusal names the limit of a trainer started without `--max-memory` (memory-limit.ts). */
export const DEFAULT_TRAINER_LIMIT =
  "this trainer's default memory limit (3/4 of its memory or cgroup limit, shared by its --capacity slots, at most 2.8 GiB (0.7 of its 4 GiB heap) on wasm; nas-trainer serve --max-memory sets another)";

/**
 * Checks `request` against `maxMemoryBytes` (undefined: no limit, but arrays larger than JavaScript
 * allows are still refused), naming the limit as `where` says. Returns the estimate; throws
 * TrialTooLargeError when it cannot fit, and InvalidValueError when the network does not fit the
 * dataset's images.
 */
export function admitTrial(
  request: TrialRequest,
  maxMemoryBytes: number | undefined,
  where: string = TRAINER_LIMIT,
): MemoryEstimate {
  const estimate = estimateRequestMemory(request);
  const refusal = memoryRefusal(estimate, maxMemoryBytes ?? Infinity, where);
  if (refusal !== null) throw new TrialTooLargeError(refusal);
  return estimate;
}
