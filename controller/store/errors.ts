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

/** Who holds a run's lease, as its row names it (see run-lease.ts). */
export interface LeaseHolder {
  readonly host: string;
  readonly pid: number;
  /** When it took the lease, in milliseconds since the Unix epoch. */
  readonly startedAt: number;
  /** Its last heartbeat, in milliseconds since the Unix epoch. */
  readonly heartbeatAt: number;
}

/**
 * A search (or `nas-ctl doctor --repair`) on a run that another live nas-ctl holds the lease of:
 * names the holder, and how long until its lease lapses if it died without a trace.
 */
export class RunHeldError extends CellsearchError {
  constructor(
    readonly dir: string,
    readonly holder: LeaseHolder,
    /** How long ago its last heartbeat was, in milliseconds. */
    readonly heartbeatAgeMs: number,
    /** How long until its lease lapses without another heartbeat, in milliseconds. */
    readonly lapsesInMs: number,
  ) {
    const since = new Date(holder.startedAt).toISOString();
    const age = Math.max(0, Math.round(heartbeatAgeMs / 1000));
    const wait = Math.max(1, Math.ceil(lapsesInMs / 1000));
    super(
      'RUN_HELD',
      `run ${dir} is held by another nas-ctl: host ${holder.host}, pid ${holder.pid}, since ${since} ` +
        `(last heartbeat ${age} s ago); stop it first, or wait ${wait} s for its lease to lapse if it died`,
    );
  }
}

/**
 * A search whose lease another nas-ctl took over (this one was frozen or cut off past the lease's
 * time to live): it stops without writing anything more. `holder` is null when the lease row is gone.
 */
export class RunTakenOverError extends CellsearchError {
  constructor(
    readonly dir: string,
    readonly holder: Pick<LeaseHolder, 'host' | 'pid'> | null,
  ) {
    const by =
      holder === null
        ? 'another nas-ctl (which has released it since)'
        : `host ${holder.host} pid ${holder.pid}`;
    super(
      'RUN_TAKEN_OVER',
      `run ${dir} was taken over by ${by}; this controller stops without writing`,
    );
  }
}
