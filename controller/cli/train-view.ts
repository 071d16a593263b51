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

const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1)}%`);
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
  return (
    `epoch ${m.epoch}/${epochs}  train loss ${m.trainLoss.toFixed(4)} acc ${pct(m.trainAccuracy)}  ` +
    `val loss ${m.validationLoss.toFixed(4)} acc ${pct(m.validationAccuracy)}  ` +
    `lr ${m.learningRate.toExponential(2)}  ${m.seconds.toFixed(1)}s  ${m.imagesPerSecond.toFixed(1)} img/s`
  );
}

function summary(r: TrialResult): string {
  if (r.status !== 'succeeded') return `trial ${r.status}: ${r.reason}`;
  const best = Math.max(...r.epochs.map((e) => e.validationAccuracy));
  const latency =
    r.latency === null
      ? ''
      : `, latency ${r.latency.batch1Ms.toFixed(1)} ms (batch 1) / ${r.latency.batchMs.toFixed(1)} ms (batch ${r.latency.batchSize})`;
  const test = r.testAccuracy === null ? '' : `, test accuracy ${pct(r.testAccuracy)}`;
  return `done in ${r.seconds.toFixed(1)}s: best validation accuracy ${pct(best)}${test}${latency}`;
}
