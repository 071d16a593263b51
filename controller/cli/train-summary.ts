/**
 * The last line of `nas-ctl train --json`: the facts of the human result line as one JSON event,
 * written whether the training succeeded, failed or was stopped by a signal.
 */
import type { TrialNetwork, TrialResult, TrialStatus } from '../../shared/trial.ts';
import { isKnown } from './progress-format.ts';

/** Why a training ended: all its epochs ran, it failed, or a signal stopped it. */
export type TrainStopReason = 'done' | 'failed' | NodeJS.Signals;

/** `train --json`'s summary event. Accuracies are fractions; null where there is none. */
export interface TrainSummaryEvent {
  readonly type: 'summary';
  readonly command: 'train';
  readonly outDir: string;
  /** The network trained, `--skeleton auto` resolved. */
  readonly network: TrialNetwork;
  readonly status: TrialStatus | 'stopped';
  readonly stopReason: TrainStopReason;
  /** Why it did not succeed; empty when it did. */
  readonly reason: string;
  readonly epochs: number;
  readonly bestValidationAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly durationSeconds: number;
}

/** What a training ended with: the trainer's result, or the error that ended it without one. */
export type TrainOutcome = ({ readonly result: TrialResult } | { readonly error: string }) & {
  /** The signal that stopped the training, if one did. */
  readonly signal: NodeJS.Signals | null;
};

/** Where and what a training trained, and how long it took. */
export interface TrainFacts {
  readonly outDir: string;
  readonly network: TrialNetwork;
  readonly durationMs: number;
}

/** The summary event of a training with these facts that ended with `outcome`. */
export function trainSummaryEvent(outcome: TrainOutcome, facts: TrainFacts): TrainSummaryEvent {
  const { outDir, network } = facts;
  const durationSeconds = Math.round(facts.durationMs) / 1000;
  const base = { type: 'summary', command: 'train', outDir, network, durationSeconds } as const;
  if ('error' in outcome) {
    const stopped = outcome.signal !== null;
    return {
      ...base,
      status: stopped ? 'stopped' : 'failed',
      stopReason: outcome.signal ?? 'failed',
      reason: outcome.error,
      epochs: 0,
      bestValidationAccuracy: null,
      testAccuracy: null,
    };
  }
  const r = outcome.result;
  const accuracies = r.epochs.map((e) => e.validationAccuracy).filter(isKnown);
  return {
    ...base,
    status: r.status,
    stopReason: r.status === 'succeeded' ? 'done' : (outcome.signal ?? 'failed'),
    reason: r.reason,
    epochs: r.epochs.length,
    bestValidationAccuracy: accuracies.length === 0 ? null : Math.max(...accuracies),
    testAccuracy: r.testAccuracy,
  };
}
