/**
 * Runs a `nas-trainer` subcommand (predict, evaluate) in a child process that shares nas-ctl's
 * terminal: the controller never loads TensorFlow.js, so work on a saved model happens there. Its
 * output and error lines are the command's own; nas-ctl exits with its exit code. SIGINT and SIGTERM
 * are passed on to it, so stopping nas-ctl never leaves a trainer running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { TRAINER_BIN } from '../search/local-trainers.ts';
import { Option, type Command } from 'commander';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { pipeWithoutNoise } from './native-log-noise.ts';
import { positiveInt } from './options.ts';
import { signalExitCode } from './stop-signals.ts';

/** The trainer's entry point, beside nas-ctl's. */

/** The flags nas-ctl predict and evaluate pass on to the trainer. */
export interface ModelFlags {
  readonly model: string;
  readonly dataset?: string;
  readonly split: string;
  readonly batchSize: number;
  readonly backend: string;
  readonly json: boolean;
}

/** Adds the flags of a command run on a saved model. */
export function addModelFlags(command: Command): Command {
  return command
    .requiredOption(
      '--model <dir>',
      'folder of a saved model (model.json + weights.bin, as nas-ctl train --out writes)',
    )
    .addOption(
      new Option('--split <name>', 'which split of --dataset')
        .choices(['test', 'train'])
        .default('test'),
    )
    .option('--batch-size <n>', 'images per forward pass', positiveInt, 64)
    .addOption(
      new Option('--backend <name>', 'tfjs backend of the trainer process')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option('--json', 'print JSON instead of text', false);
}

/** The trainer's arguments for `subcommand` with `flags` (the dataset spec checked here first). */
export function trainerArgs(
  subcommand: string,
  flags: ModelFlags,
  rest: readonly string[] = [],
): string[] {
  if (flags.dataset !== undefined) parseDatasetSpec(flags.dataset); // a typo fails before a process starts
  return [
    subcommand,
    '--model',
    flags.model,
    ...(flags.dataset === undefined ? [] : ['--dataset', flags.dataset]),
    '--split',
    flags.split,
    '--batch-size',
    String(flags.batchSize),
    '--backend',
    flags.backend,
    ...(flags.json ? ['--json'] : []),
    ...(rest.length > 0 ? ['--', ...rest] : []),
  ];
}

/**
 * Runs `nas-trainer ...args` on this terminal (its stderr without TensorFlow's start-up notes);
 * resolves to its exit code. SIGINT and SIGTERM to
 * nas-ctl are passed on to the trainer, and once it has ended nas-ctl's code is 128 + the signal's
 * number (130, 143), as for a trainer that a signal ended.
 */
export function runTrainerSubcommand(args: readonly string[]): Promise<number> {
  // The handlers go in before the trainer starts: a signal between its start and their install
  // would end nas-ctl by default and leave the trainer running without it.
  let received: NodeJS.Signals | null = null;
  const started: { child?: ChildProcess } = {};
  const forward = (signal: NodeJS.Signals): void => {
    received ??= signal;
    started.child?.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const child = spawn(process.execPath, [TRAINER_BIN, ...args], {
    stdio: ['inherit', 'inherit', 'pipe'],
  });
  started.child = child;
  const stderr = pipeWithoutNoise(child.stderr, process.stderr);
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const stoppedBy = received ?? signal;
      // Every line the trainer wrote is out before nas-ctl reports its code.
      void stderr.then(() => resolve(stoppedBy !== null ? signalExitCode(stoppedBy) : (code ?? 1)));
    });
  }).finally(() => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  });
}
