/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier"), as `--median-stop` applies it: a
 * running trial is stopped after an epoch when its best validation accuracy so far is below the
 * median of what the trials that ran to the end had reached by the same epoch. Only trials that
 * completed normally are references, and a decision waits until `minTrials` of them reached that
 * epoch, so the first trials of a search always run in full.
 */
import type { EpochMetrics } from '../../shared/trial.ts';

import type { MedianStopSettings } from '../../shared/search-settings.ts';

export type { MedianStopSettings } from '../../shared/search-settings.ts';

/** The rule's answer after an epoch of a running trial. */
export type StopVerdict =
  | { readonly stop: false }
  | {
      readonly stop: true;
      /** The trial's best validation accuracy so far: what it is told as its reward. */
      readonly reward: number;
      readonly reason: string;
    };

const GO_ON: StopVerdict = Object.freeze({ stop: false });

/** Curves of running and completed trials, and the per-epoch medians of the completed ones. */
export class MedianStopping {
  /** Best-so-far validation accuracy per epoch (index epoch - 1) of each running trial. */
  private readonly running = new Map<number, number[]>();
  /** Per epoch (index epoch - 1): the completed trials' best-so-far values, sorted ascending. */
  private readonly reference: number[][] = [];

  constructor(private readonly settings: MedianStopSettings) {}

  /** Records an epoch of a running trial and says whether to stop it now. */
  afterEpoch(trialId: number, metrics: EpochMetrics): StopVerdict {
    const curve = this.running.get(trialId) ?? [];
    this.running.set(trialId, curve);
    // An epoch seen before means the trial started over (another attempt): forget the rest.
    if (metrics.epoch <= curve.length) curve.length = Math.max(0, metrics.epoch - 1);
    const best = bestSoFar(curve, metrics);
    if (best === null) return GO_ON;
    const values = this.reference[metrics.epoch - 1] ?? [];
    if (values.length < this.settings.minTrials) return GO_ON;
    const median = medianOfSorted(values);
    if (best >= median) return GO_ON;
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
    return {
      stop: true,
      reward: best,
      reason:
        `stopped early at epoch ${metrics.epoch}: best validation accuracy ${pct(best)} is below ` +
        `the median ${pct(median)} of ${values.length} completed trials at that epoch`,
    };
  }

  /**
   * A trial ended. A completed one (`epochs`: its full metrics) becomes a reference; a failed,
   * cancelled or stopped one (`epochs` null) is forgotten.
   */
  ended(trialId: number, epochs: readonly EpochMetrics[] | null): void {
    this.running.delete(trialId);
    if (epochs === null) return;
    const curve: number[] = [];
    for (const m of [...epochs].sort((a, b) => a.epoch - b.epoch)) bestSoFar(curve, m);
    curve.forEach((value, i) => {
      if (Number.isNaN(value)) return;
      const values = (this.reference[i] ??= []);
      values.splice(insertionIndex(values, value), 0, value);
    });
  }
}

/**
 * Extends `curve` (best-so-far per epoch) with `metrics`; returns the best so far at its epoch, or
 * null when the epoch has no finite validation accuracy yet. Missing epochs carry the best forward.
 */
function bestSoFar(curve: number[], metrics: EpochMetrics): number | null {
  const accuracy = Number.isFinite(metrics.validationAccuracy)
    ? metrics.validationAccuracy
    : Number.NaN;
  const index = metrics.epoch - 1;
  if (index < 0) return null;
  while (curve.length <= index) curve.push(curve.at(-1) ?? Number.NaN);
  const before = index > 0 ? (curve[index - 1] ?? Number.NaN) : Number.NaN;
  const best = Math.max(...[before, accuracy].filter((x) => !Number.isNaN(x)));
  curve[index] = Number.isFinite(best) ? best : Number.NaN;
  const value = curve[index] ?? Number.NaN;
  return Number.isNaN(value) ? null : value;
}

function medianOfSorted(values: readonly number[]): number {
  const mid = values.length >> 1;
  const upper = values[mid] ?? Number.NaN;
  return values.length % 2 === 1 ? upper : ((values[mid - 1] ?? upper) + upper) / 2;
}

function insertionIndex(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? Number.POSITIVE_INFINITY) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
