/**
 * Admission by cost in the controller: a trial whose estimated memory exceeds the limit of every
 * trainer that could take it is failed at once with the trainers' own message, never dispatched
 * or retried (each trainer would refuse it with RESOURCE_EXHAUSTED, which is retryable).
 */
import { memoryRefusal } from '../../shared/memory-fit.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { planTrial, type TrialPlan } from './trial-plan.ts';

/** How the refusal names the limit it compared against. */
export const POOL_LIMIT =
  'the largest memory limit of the trainers (nas-trainer serve --max-memory)';

/**
 * Why no trainer with these limits (bytes, from GetInfo; null: a trainer without a limit) can run
 * `request`, or null when one may. A request whose network does not fit its images gets that
 * message, as the trainers would answer it.
 */
export function refusalByEveryTrainer(
  request: TrialRequest,
  limits: readonly (number | null)[],
  where = POOL_LIMIT,
): string | null {
  return trialAdmission(planTrial(request), limits, where).refusal;
}

/** Whether a trial may go to some trainer, and the memory it is estimated to need (bytes). */
export interface TrialAdmission {
  /** Why no trainer can take it; null when one may. */
  readonly refusal: string | null;
  /** Its estimated memory; trainers whose limit is below it are not offered the trial. */
  readonly bytes: number;
}

/**
 * The admission of the trial `plan` holds to trainers with these limits: {@link refusalByEveryTrainer}'s
 * verdict and the estimate it rests on (0 bytes when the network cannot be planned: then it is refused).
 */
export function trialAdmission(
  plan: TrialPlan,
  limits: readonly (number | null)[],
  where = POOL_LIMIT,
): TrialAdmission {
  if (plan.estimate === null) return { refusal: plan.invalid, bytes: 0 };
  // No trainer known yet (every one left the fleet for now): nothing to compare against; the
  // trainers that join are offered the trial by their own limits.
  const unlimited = limits.length === 0 || limits.some((l) => l === null);
  const largest = unlimited ? Infinity : Math.max(...limits.map(Number));
  const refusal = memoryRefusal(plan.estimate, largest, where);
  return { refusal, bytes: plan.estimate.totalBytes };
}
