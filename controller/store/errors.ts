/** Errors of the run store: each names the run directory (or trial) and what was wrong with it. */
import { CellsearchError } from '../../shared/errors.ts';

/** A path that is not a usable run directory: missing, not a directory, or no cellsearch database in it. */
export class NotARunError extends CellsearchError {
  constructor(
    readonly dir: string,
    why: string,
  ) {
    super('NOT_A_RUN', `${dir} is not a cellsearch run directory: ${why}`);
  }
}

/** `createRunStore` on a directory that already holds a run (resume it instead). */
export class RunExistsError extends CellsearchError {
  constructor(readonly dir: string) {
    super(
      'RUN_EXISTS',
      `${dir} already holds a run (run.sqlite); resume it with --resume or choose another directory`,
    );
  }
}

/** A run written by a newer cellsearch, whose schema this version cannot read. */
export class NewerSchemaError extends CellsearchError {
  constructor(
    readonly dir: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      'RUN_SCHEMA_TOO_NEW',
      `${dir} was written by a newer cellsearch (run schema ${found}; this version reads up to ${supported})`,
    );
  }
}

/** A store operation on a trial id the run does not have. */
export class UnknownTrialError extends CellsearchError {
  constructor(readonly trialId: number) {
    super('UNKNOWN_TRIAL', `no trial ${trialId} in this run`);
  }
}

/**
 * A stored value that does not read back as what was written (a damaged or hand-edited database):
 * names the run, where (table, row, field) and why, and how to recover (`nas-ctl doctor`).
 */
export class CorruptRunError extends CellsearchError {
  constructor(
    readonly dir: string,
    readonly where: string,
    readonly why: string,
    more = 0,
  ) {
    const others = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
    super('RUN_CORRUPT', `${dir}: cannot read ${where}: ${why}${others}; ${doctorHint(dir)}`);
  }
}

/** How to recover a damaged run, for messages. */
export function doctorHint(dir: string): string {
  return `run \`nas-ctl doctor ${dir}\` to list the problems and \`nas-ctl doctor --repair ${dir}\` to repair them`;
}

/** `nas-ctl doctor --repair` on a run that another connection (a running search) holds open. */
export class RunInUseError extends CellsearchError {
  constructor(readonly dir: string) {
    super(
      'RUN_IN_USE',
      `${dir}: the run is in use by a running search (or another nas-ctl); stop it, then repair`,
    );
  }
}
