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

/**
 * A change of the search's fleet (controller/fleet/): a trainer joined the pool, does not answer
 * (reported once per reason, asked again in the background), or left it (no longer resolved; its
 * running trials finish first); or a name of `--trainers` resolves to nothing for now.
 */
export type FleetEvent =
  | { readonly type: 'trainer-joined'; readonly trainer: string; readonly capacity: number }
  | { readonly type: 'trainer-unreachable'; readonly trainer: string; readonly reason: string }
  | { readonly type: 'trainer-left'; readonly trainer: string; readonly running: number }
  | { readonly type: 'discovery-warning'; readonly message: string };

/** What a search shows and counts: its trials' events and its fleet's. */
export type SearchOrFleetEvent = SearchEvent | FleetEvent;

/** The event a finished trial ends with. */
export type TrialFinishedEvent = Extract<SearchEvent, { type: 'trial-finished' }>;
