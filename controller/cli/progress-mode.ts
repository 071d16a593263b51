/**
 * How `nas-ctl search` and `nas-ctl train` show progress: redrawn in place on a terminal, as
 * timestamped lines for a log, or not at all. `auto` picks by whether stderr is a terminal.
 */
import { Option } from 'commander';
import { printableJson } from '../../shared/printable.ts';

/** The values `--progress` takes. */
export const PROGRESS_CHOICES = ['auto', 'tty', 'lines', 'none'] as const;

/**
 * A chosen rendering: `tty` redraws in place, `lines` writes timestamped lines with status lines
 * between them, `none` only the result lines (finished trials, epochs), as they are.
 */
export type ProgressMode = Exclude<(typeof PROGRESS_CHOICES)[number], 'auto'>;

/** The `--progress` option, default `auto`. */
export function progressOption(): Option {
  return new Option(
    '--progress <mode>',
    'progress: tty (redrawn in place), lines (timestamped, for logs), none (result lines only); auto: tty when stderr is a terminal',
  )
    .choices([...PROGRESS_CHOICES])
    .default('auto');
}

const MODES: readonly unknown[] = ['tty', 'lines', 'none'] satisfies ProgressMode[];

const isMode = (value: unknown): value is ProgressMode => MODES.includes(value);

/**
 * The rendering `--progress` asks for (commander has checked the choice); `auto`, or no value,
 * resolved by whether stderr is a terminal.
 */
export function resolveProgressMode(choice: unknown, stderrIsTerminal: boolean): ProgressMode {
  if (isMode(choice)) return choice;
  return stderrIsTerminal ? 'tty' : 'lines';
}

/** Writes `event` on stdout as one JSON line (the `--json` output), control characters escaped. */
export function writeJsonEvent(event: object): void {
  process.stdout.write(printableJson(JSON.stringify(event)) + '\n');
}
