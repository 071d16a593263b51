/**
 * One trial as an Observable: pick a trainer, stream the trial from it, record its start and epochs,
 * and end with exactly one `trial-ended` saying how it ended (the search loop records the finish).
 * Transport failures (the trainer vanished, is busy or shutting down) re-dispatch the trial to a
 * trainer after a backoff, a bounded number of times, each announced by a `trial-retry`; any other
 * failure ends the trial as failed, so one bad candidate never ends a search.
 */
import { concat, defer, EMPTY, of, throwError, type Observable } from 'rxjs';
import { catchError, finalize, mergeMap, retry, takeWhile, tap } from 'rxjs/operators';
import type { StreamedTrialEvent } from '../../proto/event-codec.ts';
import { trialFailureReason } from '../fleet/trainer-failure.ts';
import { TrainerCallError } from '../trainer-client/index.ts';
import type { MedianStopping } from './median-stopping.ts';
import { trialAdmission } from './memory-admission.ts';
import { checkEpoch, checkTrialResult, invalidResultReason } from './result-check.ts';
import type { SearchEvent, TrialFinishedEvent } from './search-events.ts';
import type { QueuedTrialRef, TrialEnd } from './trial-end.ts';
import type { PoolTrainer, TrainerPool } from './trainer-pool.ts';
import type { TrialLifecycle } from './trial-lifecycle.ts';
import { planTrial, type TrialPlan } from './trial-plan.ts';
import {
  NoTrainerAvailableError,
  RedispatchError,
  retryDelay,
  redispatchDelayMs,
  TrialInterruptedError,
} from './trial-retry.ts';

/** What evaluating a trial needs. */
export interface EvaluateDeps {
  readonly pool: TrainerPool;
  /** The owner of the trial's state changes and their store writes (shared with the search loop). */
  readonly trials: TrialLifecycle;
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
  // Planned once: the admission, every attempt and the result check use this plan.
  const plan = planTrial(trial.request);
  // Every trainer would refuse it (RESOURCE_EXHAUSTED, which is retryable): fail it at once.
  const admission = trialAdmission(plan, deps.pool.memoryLimits());
  if (admission.refusal !== null)
    return of(ended(trial, { kind: 'failed', reason: admission.refusal }));
  // Attempts an earlier run of the search already spent (the store counts them) count here too.
  const tries: Tries = {
    accepted: trial.attempts - 1,
    lastFailedOn: undefined,
    bytes: admission.bytes,
  };
  return defer(() => attemptOn(trial, plan, tries, deps)).pipe(
    retry({ delay: (err: unknown) => retryDelay(err, deps.pool) }),
    catchError((err: unknown) =>
      of(ended(trial, { kind: 'failed', reason: trialFailureReason(err) })),
    ),
  );
}

/**
 * Attempts so far: those a trainer took (only they count against the limit, and they are what the
 * store's `attempts` and the events' `attempt` count), the trainer the last one failed on, and the
 * trial's estimated memory (only trainers whose limit it fits may take it).
 */
interface Tries {
  accepted: number;
  lastFailedOn: string | undefined;
  readonly bytes: number;
}

/**
 * One slot of a trainer held by an attempt; freed once, before the attempt's end is passed on.
 * `epochs` counts the epochs the attempt reported, each checked as it arrives.
 */
interface Held {
  readonly trainer: PoolTrainer;
  readonly release: () => void;
  accepted: boolean;
  epochs: number;
}

function attemptOn(
  trial: QueuedTrialRef,
  plan: TrialPlan,
  tries: Tries,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  const trainer = deps.pool.acquire(tries.lastFailedOn, tries.bytes);
  if (trainer === null)
    return throwError(() => new NoTrainerAvailableError(deps.pool.msUntilAvailable()));
  deps.trials.dispatched(trial.trialId, trainer.address);
  const started: TrialStreamEvent = {
    type: 'trial-started',
    trialId: trial.trialId,
    trainer: trainer.address,
    attempt: tries.accepted + 1,
  };
  let released = false;
  const release = (): void => {
    if (!released) deps.pool.release(trainer);
    released = true;
  };
  const held: Held = { trainer, release, accepted: false, epochs: 0 };
  const stream = trainer.client.trial(trial.request, { trialId: String(trial.trialId) }).pipe(
    tap(() => {
      if (held.accepted) return;
      tries.accepted++;
      held.accepted = true;
      deps.trials.running(trial.trialId);
    }),
    mergeMap((event) => onEvent(event, trial, plan, held, deps)),
    // A trial stopped early ends here: completing unsubscribes, which cancels the call.
    takeWhile((event) => event.type !== 'trial-ended', true),
    catchError((err: unknown) => failedOn(held, err, trial, tries, deps)),
  );
  return concat(of(started), stream).pipe(finalize(release));
}

/**
 * One event of the trainer as search events: epochs checked, recorded (and judged), the result
 * checked and ending it. An epoch or result whose numbers cannot be true fails the trial.
 */
function onEvent(
  event: StreamedTrialEvent,
  trial: QueuedTrialRef,
  plan: TrialPlan,
  held: Held,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  const { trainer, release } = held;
  if (event.type === 'epoch') {
    const check = checkEpoch(event.metrics, held.epochs, trial.request);
    if (!check.ok)
      return invalidFrom(held, trial, invalidResultReason(trainer.address, 'epoch', check), deps);
    held.epochs++;
    deps.trials.epoch(trial.trialId, event.metrics);
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
  const check = checkTrialResult(event.result, trial.request, plan.expected);
  if (!check.ok)
    return invalidFrom(held, trial, invalidResultReason(trainer.address, 'result', check), deps);
  deps.pool.markHealthy(trainer);
  deps.pool.markResult(trainer, true);
  release();
  return of(ended(trial, { kind: 'result', result: event.result }));
}

/**
 * The trainer answered, but with numbers that cannot be true: the trial fails with `reason`
 * (never re-dispatched: the candidate is not to blame, but no reward can come of it), and the
 * trainer is one invalid result nearer to being suspect (trainer-pool.ts).
 */
function invalidFrom(
  held: Held,
  trial: QueuedTrialRef,
  reason: string,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  deps.pool.markHealthy(held.trainer);
  deps.pool.markResult(held.trainer, false);
  held.release();
  return of(ended(trial, { kind: 'failed', reason }));
}

/**
 * A failure on the held trainer. A transient one leaves the trainer out for a while, frees its slot
 * and re-dispatches the trial (see {@link redispatchDelayMs}), announced by a `trial-retry`, until
 * `maxAttempts` trainers took it. Anything else, or the last attempt, ends the trial as failed.
 */
function failedOn(
  held: Held,
  err: unknown,
  trial: QueuedTrialRef,
  tries: Tries,
  deps: EvaluateDeps,
): Observable<TrialStreamEvent> {
  if (!isTransient(err)) return throwError(() => err);
  const { trainer, accepted } = held;
  deps.pool.markDown(trainer);
  // Freed now, not at teardown: the wait below must not be woken by this trial's own slot.
  held.release();
  tries.lastFailedOn = trainer.address;
  if (accepted && tries.accepted >= deps.maxAttempts) return throwError(() => err);
  const reason = trialFailureReason(err);
  deps.trials.retried(trial.trialId, reason);
  const delayMs = redispatchDelayMs(deps.pool, trainer.address, accepted, tries.accepted);
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

function isTransient(err: unknown): boolean {
  return (err instanceof TrainerCallError && err.retryable) || err instanceof TrialInterruptedError;
}

function ended(trial: QueuedTrialRef, end: TrialEnd): TrialEnded {
  return { type: 'trial-ended', trialId: trial.trialId, end };
}
