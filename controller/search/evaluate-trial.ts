/**
 * One trial as an Observable of search events: pick a trainer, stream the trial from it, record
 * epochs, and end with exactly one `trial-finished`. Transport failures (the trainer vanished, is
 * busy or shutting down) re-dispatch the trial to a trainer after a backoff, a bounded number of
 * times; any other failure becomes a failed result value, so one bad candidate never ends a search.
 */
import { concat, defer, EMPTY, of, throwError, timer, type Observable } from 'rxjs';
import { catchError, finalize, mergeMap, retry, takeWhile, tap } from 'rxjs/operators';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import { CellsearchError } from '../../shared/errors.ts';
import type { RunStore } from '../store/index.ts';
import { TrainerCallError } from '../trainer-client/index.ts';
import type { MedianStopping, StopVerdict } from './median-stopping.ts';
import { rewardOf } from './reward.ts';
import type { SearchEvent } from './search-events.ts';
import type { TrainerPool } from './trainer-pool.ts';

/** No trainer could take the trial now; retried like a transport failure. */
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

/** What evaluating a trial needs. */
export interface EvaluateDeps {
  readonly pool: TrainerPool;
  readonly store: RunStore;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Epochs whose best validation accuracy is the reward. */
  readonly rewardEpochs: number;
  /** The median stopping rule, or null to run every trial to the end. */
  readonly medianStop: MedianStopping | null;
}

/** A queued trial to run. */
export interface QueuedTrialRef {
  readonly trialId: number;
  readonly hash: string;
  readonly request: TrialRequest;
}

/** The events of one trial; always ends with one `trial-finished` unless unsubscribed. */
export function evaluateTrial(trial: QueuedTrialRef, deps: EvaluateDeps): Observable<SearchEvent> {
  const tries = { dispatched: 0, accepted: 0 };
  const once = defer(() => attemptOn(trial, tries, deps));
  return once.pipe(
    retry({ delay: (err: unknown) => retryDelay(err, trial, tries.accepted, deps) }),
    catchError((err: unknown) => of(finished(trial, deps, null, reasonOf(err)))),
  );
}

function attemptOn(
  trial: QueuedTrialRef,
  tries: { dispatched: number; accepted: number },
  deps: EvaluateDeps,
): Observable<SearchEvent> {
  const trainer = deps.pool.acquire();
  if (trainer === null)
    return throwError(() => new NoTrainerAvailableError(deps.pool.msUntilAvailable()));
  const attempt = ++tries.dispatched;
  deps.store.trialStarted(trial.trialId, trainer.address);
  const started: SearchEvent = {
    type: 'trial-started',
    trialId: trial.trialId,
    trainer: trainer.address,
    attempt,
  };
  let accepted = false;
  let released = false;
  // Freed before the result is passed on, so the next candidate can take this trainer at once.
  const release = (): void => {
    if (!released) deps.pool.release(trainer);
    released = true;
  };
  const stream = trainer.client.trial(trial.request, { trialId: String(trial.trialId) }).pipe(
    tap(() => {
      if (!accepted) tries.accepted++;
      accepted = true;
    }),
    mergeMap((event): Observable<SearchEvent> => {
      if (event.type === 'epoch') {
        deps.store.trialEpoch(trial.trialId, event.metrics);
        const epoch: SearchEvent = {
          type: 'trial-epoch',
          trialId: trial.trialId,
          metrics: event.metrics,
        };
        const verdict = deps.medianStop?.afterEpoch(trial.trialId, event.metrics);
        if (verdict?.stop !== true) return of(epoch);
        deps.pool.markHealthy(trainer);
        release();
        return of(epoch, stoppedEarly(trial, deps, verdict));
      }
      if (event.type !== 'result') return EMPTY;
      if (event.result.status === 'cancelled')
        return throwError(() => new TrialInterruptedError(trainer.address, event.result.reason));
      deps.pool.markHealthy(trainer);
      release();
      return of(finished(trial, deps, event.result, event.result.reason));
    }),
    // A trial stopped early ends here: completing unsubscribes, which cancels the call.
    takeWhile((event) => event.type !== 'trial-finished', true),
    catchError((err: unknown) => {
      if (isTransient(err)) deps.pool.markDown(trainer);
      // A trainer that never took the trial (unreachable) costs the trial no attempt.
      return throwError(() =>
        isTransient(err) && !accepted ? new NotDispatchedError(reasonOf(err)) : err,
      );
    }),
  );
  return concat(of(started), stream).pipe(finalize(release));
}

/**
 * Waiting for a free trainer, or a trainer that could not be reached, costs no attempt; a transient
 * failure after a trainer took the trial requeues it until `maxAttempts` trainers took it; anything
 * else ends the trial as failed.
 */
function retryDelay(
  err: unknown,
  trial: QueuedTrialRef,
  accepted: number,
  deps: EvaluateDeps,
): Observable<unknown> {
  if (err instanceof NoTrainerAvailableError) return timer(Math.max(100, err.waitMs));
  if (err instanceof NotDispatchedError) return timer(100);
  if (!isTransient(err) || accepted >= deps.maxAttempts) return throwError(() => err);
  deps.store.trialRequeued(trial.trialId, reasonOf(err));
  return timer(Math.min(5_000, 250 * 2 ** (accepted - 1)));
}

/** The trial never reached a trainer (it was unreachable); tried again elsewhere without counting. */
class NotDispatchedError extends CellsearchError {
  constructor(reason: string) {
    super('NOT_DISPATCHED', reason);
  }
}

function isTransient(err: unknown): boolean {
  return (
    (err instanceof TrainerCallError && err.retryable) ||
    err instanceof NoTrainerAvailableError ||
    err instanceof NotDispatchedError ||
    err instanceof TrialInterruptedError
  );
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function finished(
  trial: QueuedTrialRef,
  deps: EvaluateDeps,
  result: TrialResult | null,
  reason: string,
): SearchEvent {
  const reward = result === null ? null : rewardOf(result, deps.rewardEpochs);
  const status = result?.status ?? 'failed';
  deps.medianStop?.ended(trial.trialId, status === 'succeeded' ? (result?.epochs ?? []) : null);
  deps.store.trialFinished(trial.trialId, { status, reward, reason, result });
  return {
    type: 'trial-finished',
    trialId: trial.trialId,
    hash: trial.hash,
    status,
    reward,
    reason,
    result,
    reused: false,
  };
}

/** A trial the median rule stopped: cancelled, with its best validation accuracy so far as reward. */
function stoppedEarly(
  trial: QueuedTrialRef,
  deps: EvaluateDeps,
  verdict: Extract<StopVerdict, { stop: true }>,
): SearchEvent {
  const { reward, reason } = verdict;
  deps.medianStop?.ended(trial.trialId, null);
  deps.store.trialFinished(trial.trialId, { status: 'cancelled', reward, reason, result: null });
  return {
    type: 'trial-finished',
    trialId: trial.trialId,
    hash: trial.hash,
    status: 'cancelled',
    reward,
    reason,
    result: null,
    reused: false,
  };
}
