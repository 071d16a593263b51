/** What a running search reports, in order: the events the live view, `--json` and the store follow. */
import type { EpochMetrics, TrialResult, TrialStatus } from '../../shared/trial.ts';

/** One event of a search. */
export type SearchEvent =
  | {
      readonly type: 'trial-queued';
      readonly trialId: number;
      readonly candidateId: number;
      readonly hash: string;
    }
  | {
      readonly type: 'trial-started';
      readonly trialId: number;
      readonly trainer: string;
      readonly attempt: number;
    }
  | { readonly type: 'trial-epoch'; readonly trialId: number; readonly metrics: EpochMetrics }
  | {
      readonly type: 'trial-retry';
      readonly trialId: number;
      readonly trainer: string;
      readonly reason: string;
    }
  | {
      readonly type: 'trial-finished';
      readonly trialId: number;
      readonly hash: string;
      readonly status: TrialStatus;
      readonly reward: number | null;
      readonly reason: string;
      readonly result: TrialResult | null;
      /** True when the reward was reused from an earlier trial of the same canonical genotype. */
      readonly reused: boolean;
    };

/** The event a finished trial ends with. */
export type TrialFinishedEvent = Extract<SearchEvent, { type: 'trial-finished' }>;
