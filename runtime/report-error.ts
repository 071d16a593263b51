/** The CLI's one error boundary: a clear message per error on stderr and an exit code; stacks only with --verbose. */
import { CellsearchError } from '../shared/errors.ts';
import { errnoOf } from './output-file.ts';
import { printable } from '../shared/printable.ts';

/** Exit code for bad input (invalid genotype, bad file, bad settings). */
export const EXIT_INVALID_INPUT = 1;
/** Exit code for unexpected internal failures. */
export const EXIT_INTERNAL = 70;

/** Writes `err` for a person and returns the process exit code to use. */
export function reportError(err: unknown, verbose: boolean): number {
  if (err instanceof CellsearchError) {
    process.stderr.write(`error: ${printable(err.message, { keepNewlines: true })}\n`);
    if (verbose && err.stack !== undefined) process.stderr.write(`${err.stack}\n`);
    return EXIT_INVALID_INPUT;
  }
  const message = err instanceof Error ? err.message : String(err);
  // A system call the machine refused (a full disk, a missing permission): its own words say why.
  if (errnoOf(err) !== null) {
    process.stderr.write(`error: ${printable(message)}\n`);
    if (verbose && err instanceof Error && err.stack !== undefined)
      process.stderr.write(`${err.stack}\n`);
    return EXIT_INVALID_INPUT;
  }
  process.stderr.write(`error: internal error: ${printable(message, { keepNewlines: true })}\n`);
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
