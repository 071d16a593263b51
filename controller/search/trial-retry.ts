/**
 * When a trial goes to a trainer again: the errors that say a trial must wait or be re-dispatched,
 * and how long it waits. Waits end early when a slot of the pool is released, so a trial to re-run
 * takes a freed trainer before the search can queue a new trial in it.
 */
import { Observable, race, throwError, timer } from 'rxjs';
import { CellsearchError } from '../../shared/errors.ts';
import type { TrainerPool } from './trainer-pool.ts';

/** No trainer could take the trial now; tried again once one could, costing no attempt. */
export class NoTrainerAvailableError extends CellsearchError {
  constructor(readonly waitMs: number) {
    super('NO_TRAINER', `no trainer is available (next in ${waitMs} ms)`);
  }
}

/** A trainer stopped a trial it was not asked to stop (it is shutting down); retried elsewhere. */
export class TrialInterruptedError extends CellsearchError {
  constructor(trainer: string, reason: string) {
    super('TRIAL_INTERRUPTED', `trainer ${trainer} stopped the trial: ${reason}`);
  }
}

/** A transient failure after which the trial goes to a trainer again, `delayMs` later at most. */
export class RedispatchError extends CellsearchError {
  constructor(
    reason: string,
    readonly delayMs: number,
  ) {
    super('REDISPATCH', reason);
  }
}

/**
 * How long a trial waits before it goes to a trainer again after a transient failure: not at all
 * when a healthy trainer has a free slot now (a failure on one trainer says nothing of another);
 * else 100 ms when the trainer never took the trial, and a backoff growing with the attempts a
 * trainer took (250 ms, doubling, at most 5 s), so that a passing outage does not use them all up.
 */
export function redispatchDelayMs(
  pool: TrainerPool,
  failedOn: string,
  accepted: boolean,
  attempts: number,
): number {
  if (pool.hasFreeHealthy(failedOn)) return 0;
  return accepted ? Math.min(5_000, 250 * 2 ** (attempts - 1)) : 100;
}

/** The `retry` delay of a trial: a wait for a trainer or before a re-dispatch; anything else ends it. */
export function retryDelay(err: unknown, pool: TrainerPool): Observable<unknown> {
  if (err instanceof NoTrainerAvailableError)
    return race(timer(Math.max(100, err.waitMs)), released(pool));
  if (err instanceof RedispatchError)
    return err.delayMs === 0 ? timer(0) : race(timer(err.delayMs), released(pool));
  return throwError(() => err);
}

/** Emits once, when `pool` next releases a slot. */
function released(pool: TrainerPool): Observable<void> {
  return new Observable<void>((subscriber) =>
    pool.onceReleased(() => {
      subscriber.next();
      subscriber.complete();
    }),
  );
}
