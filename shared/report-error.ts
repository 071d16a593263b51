/** The CLI's one error boundary: a clear message per error on stderr and an exit code; stacks only with --verbose. */
import { CellsearchError } from './errors.ts';
import { printable } from './printable.ts';

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
  process.stderr.write(`error: internal error: ${printable(message, { keepNewlines: true })}\n`);
  if (verbose && err instanceof Error && err.stack !== undefined)
    process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(run with --verbose for details)\n');
  return EXIT_INTERNAL;
}
