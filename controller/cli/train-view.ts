/** The terminal view of one training run: a progress bar over steps and one line per finished epoch. */
import { formatDatasetSpec } from '../../shared/dataset-spec.ts';
import { SingleBar } from 'cli-progress';
import type { TrialRequest, TrialResult, EpochMetrics } from '../../shared/trial.ts';
import type { TrialEvent } from '../../shared/trial-events.ts';

/** Receives a trial's events and draws them. */
export interface TrainView {
  update(event: TrialEvent): void;
  stop(): void;
}

/**
 * A metric that may be missing: the trainer reports NaN validation metrics when no validation split
 * is held out (`--validation-size 0`), and NaN travels through JSON as null.
 */
const known = (x: number | null): x is number => x !== null && Number.isFinite(x);
const pct = (x: number | null): string => (known(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const fixed = (x: number | null, digits: number): string => (known(x) ? x.toFixed(digits) : 'n/a');
const count = (n: number): string => n.toLocaleString('en-US');

/** A view writing to stderr (the bar) and stdout (the epoch lines and the summary). */
export function createTrainView(request: TrialRequest): TrainView {
  const bar = new SingleBar({
    format: 'training |{bar}| {percentage}% | step {value}/{total} | ETA {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  const log = (text: string): void => {
    if (started) bar.stop();
    process.stdout.write(text + '\n');
    started = false;
  };
  return {
    update(event: TrialEvent): void {
      switch (event.type) {
        case 'started':
          log(
            `training on ${event.backend} (${event.device}): ${count(event.params)} parameters, ${count(event.multAdds)} multiply-adds, ${request.training.epochs} epochs on ${formatDatasetSpec(request.dataset)}`,
          );
          break;
        case 'step':
          if (!started) bar.start(event.totalSteps, event.step);
          started = true;
          bar.update(event.step);
          break;
        case 'epoch':
          log(epochLine(event.metrics, request.training.epochs));
          break;
        case 'saved':
          log(`saved model to ${event.dir}`);
          break;
        case 'result':
          log(summary(event.result));
          break;
      }
    },
    stop: () => bar.stop(),
  };
}

function epochLine(m: EpochMetrics, epochs: number): string {
  const validation = known(m.validationLoss)
    ? `val loss ${fixed(m.validationLoss, 4)} acc ${pct(m.validationAccuracy)}  `
    : 'no validation split  ';
  return (
    `epoch ${m.epoch}/${epochs}  train loss ${fixed(m.trainLoss, 4)} acc ${pct(m.trainAccuracy)}  ` +
    validation +
    `lr ${m.learningRate.toExponential(2)}  ${m.seconds.toFixed(1)}s  ${m.imagesPerSecond.toFixed(1)} img/s`
  );
}

function summary(r: TrialResult): string {
  if (r.status !== 'succeeded') return `trial ${r.status}: ${r.reason}`;
  const accuracies = r.epochs.map((e) => e.validationAccuracy).filter(known);
  const best =
    accuracies.length === 0
      ? 'no validation split'
      : `best validation accuracy ${pct(Math.max(...accuracies))}`;
  const latency =
    r.latency === null
      ? ''
      : `, latency ${r.latency.batch1Ms.toFixed(1)} ms (batch 1) / ${r.latency.batchMs.toFixed(1)} ms (batch ${r.latency.batchSize})`;
  const test = r.testAccuracy === null ? '' : `, test accuracy ${pct(r.testAccuracy)}`;
  return `done in ${r.seconds.toFixed(1)}s: ${best}${test}${latency}`;
}
