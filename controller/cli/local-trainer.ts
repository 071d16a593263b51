/**
 * Runs one trial request in a child `nas-trainer train` process and follows its JSON-line events:
 * the controller side of the line protocol in shared/trial-events.ts.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CellsearchError } from '../../shared/errors.ts';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import { isTrialEvent, type TrialEvent } from '../../shared/trial-events.ts';
import { createTrainView } from './train-view.ts';

/** The trainer's entry point, beside nas-ctl's. */
const TRAINER_BIN = fileURLToPath(new URL('../../bin/nas-trainer.js', import.meta.url));

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
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(request));
  const view = options.json ? null : createTrainView(request);
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
        process.stderr.write(line + '\n'); // not an event: something the trainer printed
        continue;
      }
      if (options.json) process.stdout.write(line + '\n');
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
      throw new TrainerProcessError(
        `the trainer process stopped (exit code ${code}) before reporting a result; its error is above`,
      );
    }
    return result;
  } finally {
    view?.stop();
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

function parseEventLine(line: string): TrialEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    return isTrialEvent(value) ? value : null;
  } catch {
    return null;
  }
}
