/**
 * Runs one trial request in a child `nas-trainer train` process and follows its JSON-line events:
 * the controller side of the line protocol in shared/trial-events.ts.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { TRAINER_BIN } from '../search/local-trainers.ts';
import { CellsearchError } from '../../shared/errors.ts';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import { isTrialEvent, type TrialEvent } from '../../shared/trial-events.ts';
import type { ProgressMode } from './progress-mode.ts';
import { isNativeLogNoise } from './native-log-noise.ts';
import { printNote } from './progress-notes.ts';
import type { ViewStreams } from './live-region.ts';
import { createTrainView } from './train-view.ts';

/** The trainer's entry point, beside nas-ctl's. */

/** A trainer process that ended without reporting a result. */
export class TrainerProcessError extends CellsearchError {
  constructor(message: string) {
    super('TRAINER_FAILED', message);
  }
}

/** How to run the trainer and show its progress. */
export interface LocalTrainerOptions {
  readonly backend: string;
  readonly out: string;
  /** Pass the events through as JSON lines instead of the progress view. */
  readonly json: boolean;
  /** How the progress view draws (without `json`). */
  readonly progress: ProgressMode;
  /**
   * Where the view (or the JSON events) and the progress go; default stdout and stderr. A command
   * whose stdout carries other data (export's CSV) sends both to stderr.
   */
  readonly streams?: ViewStreams;
}

/** Trains `request` in a child trainer process; resolves to its result, or throws if it died without one. */
export async function runLocalTrainer(
  request: TrialRequest,
  options: LocalTrainerOptions,
): Promise<TrialResult> {
  const args = [
    TRAINER_BIN,
    'train',
    '--request',
    '-',
    '--out',
    options.out,
    '--backend',
    options.backend,
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(JSON.stringify(request));
  // The trainer's own error line becomes nas-ctl's one error line; the rest of its stderr passes.
  const errors = trainerErrors(child.stderr);
  const streams = options.streams ?? { out: process.stdout, err: process.stderr };
  const view = options.json ? null : createTrainView(request, { mode: options.progress, streams });
  // Ctrl-C or SIGTERM stops the trainer, which ends its stream: nas-ctl then reports the stop.
  const stopped: { by: NodeJS.Signals | null } = { by: null };
  const stop = (signal: NodeJS.Signals): void => {
    stopped.by ??= signal;
    child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let result: TrialResult | null = null;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const event = parseEventLine(line);
      if (event === null) {
        printNote(line + '\n'); // not an event: something the trainer printed
        continue;
      }
      if (options.json) streams.out.write(line + '\n');
      else view?.update(event);
      if (event.type === 'result') result = event.result;
    }
    const code = await new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (c) => resolve(c));
    });
    if (result === null && stopped.by !== null) {
      throw new TrainerProcessError(`training stopped by ${stopped.by} before it finished`);
    }
    if (result === null) {
      await errors.done;
      throw new TrainerProcessError(
        errors.lines.length > 0
          ? errors.lines.join('; ')
          : `the trainer process stopped (exit code ${code}) before reporting a result`,
      );
    }
    return result;
  } finally {
    view?.stop();
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

/** The trainer CLI's error prefix (runtime/report-error.ts): one line per error. */
const ERROR_PREFIX = 'error: ';

/**
 * Follows the trainer's stderr: its `error: ` lines are kept (without the prefix) for nas-ctl's own
 * error; every other line passes through to nas-ctl's stderr (above the progress bar, if drawn).
 */
function trainerErrors(stderr: Readable): { lines: string[]; done: Promise<void> } {
  const lines: string[] = [];
  const done = (async () => {
    for await (const line of createInterface({ input: stderr })) {
      if (line.startsWith(ERROR_PREFIX)) lines.push(line.slice(ERROR_PREFIX.length));
      else if (!isNativeLogNoise(line)) printNote(line + '\n');
    }
  })();
  return { lines, done };
}

function parseEventLine(line: string): TrialEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    return isTrialEvent(value) ? value : null;
  } catch {
    return null;
  }
}
