/**
 * One trial as an Observable: pick a trainer, stream the trial from it, record its start and epochs,
 * and end with exactly one `trial-ended` saying how it ended (the search loop records the finish).
 * Transport failures (the trainer vanished, is busy or shutting down) re-dispatch the trial to a
 * trainer after a backoff, a bounded number of times, each announced by a `trial-retry`; any other
 * failure ends the trial as failed, so one bad candidate never ends a search.
 */
import { concat, defer, EMPTY, of, throwError, timer, type Observable } from 'rxjs';
import { catchError, finalize, mergeMap, retry, takeWhile, tap } from 'rxjs/operators';
import { CellsearchError } from '../../shared/errors.ts';
import type { RunStore } from '../store/index.ts';
import { TrainerCallError } from '../trainer-client/index.ts';
import type { MedianStopping } from './median-stopping.ts';
import type { SearchEvent, TrialFinishedEvent } from './search-events.ts';
import type { QueuedTrialRef, TrialEnd } from './trial-end.ts';
import type { PoolTrainer, TrainerPool } from './trainer-pool.ts';

/** No trainer could take the trial now; tried again once one could, costing no attempt. */
export class NoTrainerAvailableError extends CellsearchError {
  constructor(readonly waitMs: number) {
    super('NO_TRAINER', `no trainer is available (next in ${waitMs} ms)`);
  }
}

/** A trainer stopped a trial it was not asked to stop (it is shutting down); retried elsewhere. */
class TrialInterruptedError extends CellsearchError {
  constructor(trainer: string, reason: string) {
    super('TRIAL_INTERRUPTED', `trainer ${trainer} stopped the trial: ${reason}`);
  }
}

/** A transient failure after which the trial goes to a trainer again, `delayMs` later. */
class RedispatchError extends CellsearchError {
  constructor(
    reason: string,
    readonly delayMs: number,
  ) {
    super('REDISPATCH', reason);
  }
}

/** What evaluating a trial needs. */
export interface EvaluateDeps {
  readonly pool: TrainerPool;
  readonly store: RunStore;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The median stopping rule the epochs go to, or null to run every trial to the end. */
  readonly medianStop: MedianStopping | null;
}

/** The last event of a trial's stream: how it ended, for the search loop to record. */
export interface TrialEnded {
  readonly type: 'trial-ended';
  readonly trialId: number;
  readonly end: TrialEnd;
}

/** What a trial's stream emits: its progress as search events, then one {@link TrialEnded}. */
export type TrialStreamEvent = Exclude<SearchEvent, TrialFinishedEvent> | TrialEnded;

/** The events of one trial; always ends with one `trial-ended` unless unsubscribed. */
export function evaluateTrial(
  trial: QueuedTrialRef,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  const tries: Tries = { dispatched: 0, accepted: 0 };
  return defer(() => attemptOn(trial, tries, deps)).pipe(
    retry({ delay: retryDelay }),
    catchError((err: unknown) => of(ended(trial, { kind: 'failed', reason: reasonOf(err) }))),
  );
}

/** Attempts so far: dispatched to a trainer, and taken by one (only those count against the limit). */
interface Tries {
  dispatched: number;
  accepted: number;
}

function attemptOn(
  trial: QueuedTrialRef,
  tries: Tries,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  const trainer = deps.pool.acquire();
  if (trainer === null)
    return throwError(() => new NoTrainerAvailableError(deps.pool.msUntilAvailable()));
  const attempt = ++tries.dispatched;
  deps.store.trialStarted(trial.trialId, trainer.address);
  const started: TrialStreamEvent = {
    type: 'trial-started',
    trialId: trial.trialId,
    trainer: trainer.address,
    attempt,
  };
  let accepted = false;
  let released = false;
  // Freed before the end is passed on, so the next candidate can take this trainer at once.
  const release = (): void => {
    if (!released) deps.pool.release(trainer);
    released = true;
  };
  const stream = trainer.client.trial(trial.request, { trialId: String(trial.trialId) }).pipe(
    tap(() => {
      if (!accepted) tries.accepted++;
      accepted = true;
    }),
    mergeMap((event): Observable<TrialStreamEvent> => {
      if (event.type === 'epoch') {
        deps.store.trialEpoch(trial.trialId, event.metrics);
        const epoch: TrialStreamEvent = {
          type: 'trial-epoch',
          trialId: trial.trialId,
          metrics: event.metrics,
        };
        const verdict = deps.medianStop?.afterEpoch(trial.trialId, event.metrics);
        if (verdict?.stop !== true) return of(epoch);
        deps.pool.markHealthy(trainer);
        release();
        const { reward, reason } = verdict;
        return of(epoch, ended(trial, { kind: 'stopped-early', reward, reason }));
      }
      if (event.type !== 'result') return EMPTY;
      if (event.result.status === 'cancelled')
        return throwError(() => new TrialInterruptedError(trainer.address, event.result.reason));
      deps.pool.markHealthy(trainer);
      release();
      return of(ended(trial, { kind: 'result', result: event.result }));
    }),
    // A trial stopped early ends here: completing unsubscribes, which cancels the call.
    takeWhile((event) => event.type !== 'trial-ended', true),
    catchError((err: unknown) => failedOn(trainer, err, accepted, trial, tries, deps)),
  );
  return concat(of(started), stream).pipe(finalize(release));
}

/**
 * A failure on `trainer`. A transient one leaves the trainer out for a while and re-dispatches the
 * trial, announced by a `trial-retry`: at once elsewhere when the trainer never took it (no attempt
 * counted), after a growing backoff when it did, until `maxAttempts` trainers took it. Anything
 * else, or the last attempt, ends the trial as failed.
 */
function failedOn(
  trainer: PoolTrainer,
  err: unknown,
  accepted: boolean,
  trial: QueuedTrialRef,
  tries: Tries,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  if (!isTransient(err)) return throwError(() => err);
  deps.pool.markDown(trainer);
  if (accepted && tries.accepted >= deps.maxAttempts) return throwError(() => err);
  const reason = reasonOf(err);
  if (accepted) deps.store.trialRequeued(trial.trialId, reason);
  const delayMs = accepted ? Math.min(5_000, 250 * 2 ** (tries.accepted - 1)) : 100;
  const retrying: TrialStreamEvent = {
    type: 'trial-retry',
    trialId: trial.trialId,
    trainer: trainer.address,
    reason,
  };
  return concat(
    of(retrying),
    throwError(() => new RedispatchError(reason, delayMs)),
  );
}

/** Waiting for a free trainer costs no attempt; a re-dispatch waits its delay; anything else ends the trial. */
function retryDelay(err: unknown): Observable<unknown> {
  if (err instanceof NoTrainerAvailableError) return timer(Math.max(100, err.waitMs));
  if (err instanceof RedispatchError) return timer(err.delayMs);
  return throwError(() => err);
}

function isTransient(err: unknown): boolean {
  return (err instanceof TrainerCallError && err.retryable) || err instanceof TrialInterruptedError;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ended(trial: QueuedTrialRef, end: TrialEnd): TrialEnded {
  return { type: 'trial-ended', trialId: trial.trialId, end };
}
