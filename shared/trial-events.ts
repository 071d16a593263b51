/**
 * The events a trainer reports while it runs a trial, as one JSON object per line: the line protocol
 * between `nas-trainer train` and `nas-ctl train`, and the same shapes the gRPC stream carries.
 */
import type { EpochMetrics, TrialResult } from './trial.ts';

/** One event of a running trial. */
export type TrialEvent =
  | {
      readonly type: 'started';
      readonly backend: string;
      readonly device: string;
      readonly params: number;
      readonly multAdds: number;
    }
  | {
      readonly type: 'step';
      /** Steps done over the whole training (1-based), of `totalSteps`. */
      readonly step: number;
      readonly totalSteps: number;
      /** Mean training loss and accuracy of the current epoch's steps so far, when the trainer sends them. */
      readonly loss?: number;
      readonly accuracy?: number;
    }
  | { readonly type: 'epoch'; readonly metrics: EpochMetrics }
  | { readonly type: 'saved'; readonly dir: string }
  | { readonly type: 'result'; readonly result: TrialResult };

/** True when `value` has the shape of a trial event's envelope (`type` is one of the known kinds). */
export function isTrialEvent(value: unknown): value is TrialEvent {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  return ['started', 'step', 'epoch', 'saved', 'result'].includes(String(value.type));
}
