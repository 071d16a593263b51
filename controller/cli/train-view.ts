/**
 * The view of one training run. On a terminal: one bar over the whole training (epoch, step,
 * loss, accuracy, elapsed, ETA) redrawn in place on stderr, with the epoch lines and the summary
 * printed above it on stdout. In a log: timestamped lines, each epoch's with elapsed time and ETA.
 */
import { formatDatasetSpec } from '../../shared/dataset-spec.ts';
import { formatNetworkSize } from '../../shared/network-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import type { TrialEvent } from '../../shared/trial-events.ts';
import { LiveRegion, type ViewStreams } from './live-region.ts';
import { formatTimestamp } from './progress-format.ts';
import type { ProgressMode } from './progress-mode.ts';
import {
  epochLine,
  resultLine,
  timeFacts,
  trainBar,
  trainFacts,
  TrainProgress,
} from './train-progress.ts';

/** Receives a trial's events and draws them. */
export interface TrainView {
  update(event: TrialEvent): void;
  stop(): void;
}

/** How the view draws; streams and clock default to the process's. */
export interface TrainViewOptions {
  readonly mode: ProgressMode;
  readonly streams?: ViewStreams;
  /** The clock, in ms since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

/** How often the bar redraws between steps (elapsed time moves). */
const REDRAW_MS = 1000;
/** A log gets a progress line at least this often within a long epoch. */
const LOG_PROGRESS_MS = 60_000;

const count = (n: number): string => n.toLocaleString('en-US');

/** A view of training `request` in the given mode. */
export function createTrainView(request: TrialRequest, options: TrainViewOptions): TrainView {
  const now = options.now ?? Date.now;
  const streams = options.streams ?? { out: process.stdout, err: process.stderr };
  const progress = new TrainProgress(request.training.epochs, now());
  const print =
    options.mode === 'tty'
      ? terminalPrinter(progress, streams, now)
      : options.mode === 'lines'
        ? logPrinter(progress, streams, now)
        : plainPrinter(streams);
  return {
    update(event: TrialEvent): void {
      progress.apply(event, now());
      print(event, eventLine(event, request));
    },
    stop: () => print('stop', null),
  };
}

/** The line an event prints (started, epoch, saved, result); null for steps. */
function eventLine(event: TrialEvent, request: TrialRequest): string | null {
  switch (event.type) {
    case 'started':
      return `training on ${event.backend} (${event.device}): ${count(event.params)} parameters, ${count(event.multAdds)} multiply-adds, ${request.training.epochs} epochs on ${formatDatasetSpec(request.dataset)}, network ${formatNetworkSize(request.network)} ${request.network.skeleton} skeleton`;
    case 'step':
      return null;
    case 'epoch':
      return epochLine(event.metrics, request.training.epochs);
    case 'saved':
      return `saved model to ${event.dir}`;
    case 'result':
      return resultLine(event.result);
  }
}

/** Draws an event (already applied to the progress) with its line, or ends the view on `stop`. */
type Printer = (event: TrialEvent | 'stop', line: string | null) => void;

function terminalPrinter(
  progress: TrainProgress,
  streams: ViewStreams,
  now: () => number,
): Printer {
  const region = new LiveRegion(streams.err);
  const unroute = region.routeNotes();
  let stepped = false;
  const redraw = (): void => {
    if (stepped) region.draw(trainBar(progress.status(now()), streams.err.columns));
  };
  const timer = setInterval(redraw, REDRAW_MS);
  timer.unref();
  return (event, line) => {
    if (event === 'stop') {
      clearInterval(timer);
      unroute();
      region.clear();
      return;
    }
    // The bar goes once the result is in: the summary line says the rest.
    if (event.type === 'result') {
      stepped = false;
      region.clear();
    }
    if (event.type === 'step') stepped = true;
    if (line !== null) region.printAbove(streams.out, line);
    redraw();
  };
}

/** `--progress none`: the event lines only, as they are. */
function plainPrinter(streams: ViewStreams): Printer {
  return (_event, line) => {
    if (line !== null) streams.out.write(line + '\n');
  };
}

function logPrinter(progress: TrainProgress, streams: ViewStreams, now: () => number): Printer {
  const stamped = (text: string): string => `${formatTimestamp(now())} ${text}\n`;
  let lastLine = now();
  return (event, line) => {
    if (event === 'stop') return;
    const s = progress.status(now());
    if (event.type === 'epoch' && line !== null) line = `${line} | ${timeFacts(s)}`;
    if (line === null && event.type === 'step' && now() - lastLine >= LOG_PROGRESS_MS)
      line = `training ${trainFacts(s)}`;
    if (line === null) return;
    streams.out.write(stamped(line));
    lastLine = now();
  };
}
