/** How a trial ended, before it is stored, and the outcome the run store records for it. */
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { TrialOutcome } from '../store/index.ts';
import { rewardOf } from './reward.ts';

/** A queued trial to run. */
export interface QueuedTrialRef {
  readonly trialId: number;
  readonly hash: string;
  readonly request: TrialRequest;
  /** The store's `attempts` of the trial: the number its next attempt has (1 for a new trial). */
  readonly attempts: number;
}

/** How a trial ended, before it is stored: every finished trial is recorded from one of these. */
export type TrialEnd =
  /** The trainer's result (succeeded or failed). */
  | { readonly kind: 'result'; readonly result: TrialResult }
  /** No result: the attempts ran out or the trial failed in the controller. */
  | { readonly kind: 'failed'; readonly reason: string }
  /** The median rule stopped it; `reward` is its best validation accuracy so far. */
  | { readonly kind: 'stopped-early'; readonly reward: number; readonly reason: string }
  /** Not trained: an earlier trial of the same canonical genotype lends its reward. */
  | { readonly kind: 'reused'; readonly earlierId: number; readonly reward: number | null };

/**
 * The stored outcome of a trial's end. A reward is a fraction: one that is not finite in [0, 1]
 * (a result that escaped result-check.ts) fails the trial instead of being stored.
 */
export function outcomeOf(end: TrialEnd, rewardEpochs: number): TrialOutcome {
  switch (end.kind) {
    case 'result': {
      const { result } = end;
      const reward = rewardOf(result, rewardEpochs);
      if (reward !== null && !(reward >= 0 && reward <= 1)) {
        const reason = `the trainer's result gives reward = ${reward}, which is not in [0, 1]`;
        return { status: 'failed', reward: null, reason, result };
      }
      return { status: result.status, reward, reason: result.reason, result };
    }
    case 'failed':
      return { status: 'failed', reward: null, reason: end.reason, result: null };
    case 'stopped-early':
      return { status: 'cancelled', reward: end.reward, reason: end.reason, result: null };
    case 'reused': {
      const reason = `same network as trial ${end.earlierId}`;
      return { status: 'succeeded', reward: end.reward, reason, result: null };
    }
  }
}
