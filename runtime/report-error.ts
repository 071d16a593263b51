/**
 * The CLIs' one error boundary: a clear message per error on stderr and an exit code; stacks only
 * with --verbose. Every error line of nas-ctl and nas-trainer starts with {@link ERROR_PREFIX}:
 * ours, commander's (usage errors, routed through {@link withErrorOutput}) and a last-resort
 * report of anything thrown outside a command ({@link reportUncaught}).
 */
import type { Command } from 'commander';
import { CellsearchError } from '../shared/errors.ts';
import { errnoOf } from './output-file.ts';
import { printable } from '../shared/printable.ts';

/** Exit code for bad input (invalid genotype, bad file, bad settings). */
export const EXIT_INVALID_INPUT = 1;
/** Exit code for unexpected internal failures. */
export const EXIT_INTERNAL = 70;

/** How every error line of both CLIs starts (commander's own style, which most lines use). */
export const ERROR_PREFIX = 'error: ';

/** The line commander adds under a usage error, for both CLIs. */
export const USAGE_HINT = '(add --help for usage)';

/** Writes `err` for a person and returns the process exit code to use. */
export function reportError(err: unknown, verbose: boolean): number {
  if (err instanceof CellsearchError) {
    process.stderr.write(`${ERROR_PREFIX}${printable(err.message, { keepNewlines: true })}\n`);
    if (verbose && err.stack !== undefined) process.stderr.write(`${err.stack}\n`);
    return EXIT_INVALID_INPUT;
  }
  const message = err instanceof Error ? err.message : String(err);
  // A system call the machine refused (a full disk, a missing permission): its own words say why.
  if (errnoOf(err) !== null) {
    process.stderr.write(`${ERROR_PREFIX}${printable(message)}\n`);
    if (verbose && err instanceof Error && err.stack !== undefined)
      process.stderr.write(`${err.stack}\n`);
    return EXIT_INVALID_INPUT;
  }
  process.stderr.write(
    `${ERROR_PREFIX}internal error: ${printable(message, { keepNewlines: true })}\n`,
  );
  if (verbose && err instanceof Error && err.stack !== undefined)
    process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(run with --verbose for details)\n');
  return EXIT_INTERNAL;
}

/**
 * Output into a pipe whose reader has gone (`nas-ctl status RUN | head`) ends the command quietly,
 * as for any Unix filter, instead of an unhandled EPIPE with a stack trace.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: unknown) => {
      if (errnoOf(err) === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/**
 * `program` with commander's usage errors in the CLIs' one style: `error: ...` (commander's words,
 * control characters in the echoed arguments escaped) and the usage hint under it. Set before any
 * command is added: subcommands inherit it.
 */
export function withErrorOutput(program: Command): Command {
  return program.showHelpAfterError(USAGE_HINT).configureOutput({
    outputError: (text, write) => write(printable(text, { keepNewlines: true })),
  });
}

/**
 * Reports an error thrown outside a command's promise (an event handler, a promise nobody awaits)
 * like any other, instead of Node's stack trace, and exits with its code.
 */
export function reportUncaught(verbose: boolean): void {
  const report = (err: unknown): void => {
    process.exit(reportError(err, verbose));
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}
