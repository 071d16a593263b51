/**
 * What the controller works out about a trial before it runs, once per trial: its network planned
 * for its dataset, the memory it is estimated to need (what admission compares against the
 * trainers' limits) and the sizes its result must report (what the result check compares against).
 */
import { planComplexity, type Complexity } from '../../shared/complexity.ts';
import { datasetFacts } from '../../shared/dataset-facts.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import {
  estimateTrialMemory,
  planRequest,
  type MemoryEstimate,
} from '../../shared/memory-estimate.ts';
import type { TrialRequest } from '../../shared/trial.ts';

/** The sizes a trial result reports, as the controller counts them for the request's network. */
export interface ExpectedSize {
  readonly params: number;
  readonly bnStatistics: number;
  readonly multAdds: number;
}

/** A trial request with what follows from it; made by {@link planTrial}. */
export interface TrialPlan {
  readonly request: TrialRequest;
  /** Its memory estimate, or null when its network cannot be planned for its images. */
  readonly estimate: MemoryEstimate | null;
  /** Why its network cannot be planned (the trainer's own message), or null. */
  readonly invalid: string | null;
  /**
   * The sizes its result must report; null when they cannot be counted here (an image folder's
   * classes, which the head's size depends on, are known only once read) or the plan failed.
   */
  readonly expected: ExpectedSize | null;
}

/** Plans `request`'s network once and derives its memory estimate and expected sizes from it. */
export function planTrial(request: TrialRequest): TrialPlan {
  let cost: Complexity;
  let estimate: MemoryEstimate;
  try {
    const network = planRequest(request);
    cost = planComplexity(network);
    estimate = estimateTrialMemory(network, request.training, request.dataset, cost);
  } catch (err) {
    if (err instanceof InvalidValueError)
      return { request, estimate: null, invalid: err.message, expected: null };
    throw err;
  }
  const { params, bnStatistics, multAdds } = cost;
  const known = datasetFacts(request.dataset).classes !== null;
  const expected = known ? { params, bnStatistics, multAdds } : null;
  return { request, estimate, invalid: null, expected };
}
