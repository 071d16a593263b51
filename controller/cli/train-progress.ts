/**
 * What the view of one training run knows, fed with the trainer's events, and its text as pure
 * functions: the bar over the whole training (epoch, step, loss, accuracy, elapsed, ETA from the
 * steps done), the line of a finished epoch and the summary of the result.
 */
import { printable } from '../../shared/printable.ts';
import { formatPercent } from '../../shared/percent.ts';
import type { EpochMetrics, TrialResult } from '../../shared/trial.ts';
import type { TrialEvent } from '../../shared/trial-events.ts';
import { formatDuration, formatLoss, isKnown, packParts } from './progress-format.ts';

/** The facts of a training run at one moment. */
export interface TrainStatus {
  readonly epochs: number;
  /** Steps done over the whole training, of `totalSteps` (null before the first step). */
  readonly step: number;
  readonly totalSteps: number | null;
  /** The current epoch's mean training loss and accuracy so far, else the last epoch's. */
  readonly loss: number | null;
  readonly accuracy: number | null;
  /** Validation accuracy after the last finished epoch. */
  readonly validationAccuracy: number | null;
  readonly elapsedMs: number;
  /** From the time the steps took so far (validation included); null before the first step. */
  readonly etaMs: number | null;
}

/** The state of a training view; `startedAt` and every `now` are ms since the epoch. */
export class TrainProgress {
  private step = 0;
  private totalSteps: number | null = null;
  private loss: number | null = null;
  private accuracy: number | null = null;
  private validationAccuracy: number | null = null;
  /** When training began (the network was planned): the steps' clock starts here. */
  private trainingFrom: number;

  constructor(
    private readonly epochs: number,
    private readonly startedAt: number,
  ) {
    this.trainingFrom = startedAt;
  }

  /** Takes one trainer event that arrived at `now`. */
  apply(event: TrialEvent, now: number): void {
    if (event.type === 'started') this.trainingFrom = now;
    else if (event.type === 'step') {
      this.step = event.step;
      this.totalSteps = event.totalSteps;
      if (isKnown(event.loss)) this.loss = event.loss;
      if (isKnown(event.accuracy)) this.accuracy = event.accuracy;
    } else if (event.type === 'epoch') {
      const m = event.metrics;
      this.loss = isKnown(m.trainLoss) ? m.trainLoss : this.loss;
      this.accuracy = isKnown(m.trainAccuracy) ? m.trainAccuracy : this.accuracy;
      this.validationAccuracy = isKnown(m.validationAccuracy) ? m.validationAccuracy : null;
    }
  }

  /** The facts at `now`. */
  status(now: number): TrainStatus {
    const { step, totalSteps } = this;
    const spent = Math.max(0, now - this.trainingFrom);
    const etaMs =
      totalSteps === null || step === 0 ? null : (spent / step) * Math.max(0, totalSteps - step);
    return {
      epochs: this.epochs,
      step,
      totalSteps,
      loss: this.loss,
      accuracy: this.accuracy,
      validationAccuracy: this.validationAccuracy,
      elapsedMs: Math.max(0, now - this.startedAt),
      etaMs,
    };
  }
}

/** The epoch step `s.step` belongs to (1-based; epoch 1 before the first step). */
export function currentEpoch(s: TrainStatus): number {
  if (s.totalSteps === null || s.totalSteps === 0 || s.step === 0) return 1;
  const perEpoch = s.totalSteps / s.epochs;
  return Math.min(s.epochs, Math.max(1, Math.ceil(s.step / perEpoch)));
}

/**
 * The facts without a bar: `41.67% | epoch 2/3 | step 5/12 | loss 1.2345 acc 45.21% | val 40.00% |
 * elapsed 12s | ETA 17s` (the validation part once an epoch with a validation split finished).
 */
export function trainFacts(s: TrainStatus): string {
  return trainFactParts(s).join(' | ');
}

/** The facts of {@link trainFacts}, one string each. */
export function trainFactParts(s: TrainStatus): string[] {
  const total = s.totalSteps ?? 0;
  const fraction = total === 0 ? 0 : Math.min(1, s.step / total);
  const parts = [
    formatPercent(fraction),
    `epoch ${currentEpoch(s)}/${s.epochs}`,
    `step ${s.step}/${total}`,
    `loss ${formatLoss(s.loss)} acc ${formatPercent(s.accuracy)}`,
  ];
  if (s.validationAccuracy !== null) parts.push(`val ${formatPercent(s.validationAccuracy)}`);
  parts.push(`elapsed ${formatDuration(s.elapsedMs)}`, `ETA ${formatDuration(s.etaMs)}`);
  return parts;
}

/** The widest bar drawn, in cells; narrower ones make room for the facts, below 5 none is drawn. */
const MAX_BAR = 30;

/**
 * `training [######------] 41.67% | epoch 2/3 | ...` for a terminal `columns` wide: the bar takes
 * what the facts leave (at most 30 cells); when fewer than 5 remain there is no bar and the facts
 * are packed into as many lines as they need.
 */
export function trainBar(s: TrainStatus, columns = 80): string[] {
  const facts = trainFacts(s);
  const width = Math.min(MAX_BAR, columns - 1 - 'training [] '.length - facts.length);
  if (width < 5) return packParts(['training', ...trainFactParts(s)], columns);
  const total = s.totalSteps ?? 0;
  const filled = total === 0 ? 0 : Math.round(width * Math.min(1, s.step / total));
  return [`training [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${facts}`];
}

/** `elapsed 12s | ETA 17s`: what a log's epoch line adds. */
export function timeFacts(s: TrainStatus): string {
  return `elapsed ${formatDuration(s.elapsedMs)} | ETA ${formatDuration(s.etaMs)}`;
}

/** A finished epoch: losses, accuracies, learning rate, time and throughput. */
export function epochLine(m: EpochMetrics, epochs: number): string {
  const validation = isKnown(m.validationLoss)
    ? `val loss ${formatLoss(m.validationLoss)} acc ${formatPercent(m.validationAccuracy)}  `
    : 'no validation split  ';
  return (
    `epoch ${m.epoch}/${epochs}  train loss ${formatLoss(m.trainLoss)} acc ${formatPercent(m.trainAccuracy)}  ` +
    validation +
    `lr ${m.learningRate.toExponential(2)}  ${m.seconds.toFixed(1)}s  ${m.imagesPerSecond.toFixed(1)} img/s`
  );
}

/** The last line: how the trial ended, its best validation and test accuracy and its latency. */
export function resultLine(r: TrialResult): string {
  if (r.status !== 'succeeded') return `trial ${r.status}: ${printable(r.reason)}`;
  const accuracies = r.epochs.map((e) => e.validationAccuracy).filter(isKnown);
  const best =
    accuracies.length === 0
      ? 'no validation split'
      : `best validation accuracy ${formatPercent(Math.max(...accuracies))}`;
  const latency =
    r.latency === null
      ? ''
      : `, latency ${r.latency.batch1Ms.toFixed(1)} ms (batch 1) / ${r.latency.batchMs.toFixed(1)} ms (batch ${r.latency.batchSize})`;
  const test = r.testAccuracy === null ? '' : `, test accuracy ${formatPercent(r.testAccuracy)}`;
  return `done in ${r.seconds.toFixed(1)}s: ${best}${test}${latency}`;
}
