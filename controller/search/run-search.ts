/**
 * The search pipeline: the edge around the {@link SearchLoop} state machine. The loop decides what
 * to run, records what finished and says when to stop; here are only the calls and signals. Trials
 * the loop dispatches flow through `evaluateTrial` with `mergeMap`, at most one per slot of the
 * pool (the loop is told when trainers join or leave); each trial's end goes back to the loop, which fills the freed slot at once, so no trainer
 * idles waiting for a batch. A stop (Ctrl-C, time limit) cancels the trials in flight —
 * unsubscribing cancels their gRPC calls — and the loop queues them again and saves the strategy.
 */
import { Observable, Subject, type Subscriber } from 'rxjs';
import { mergeMap, take, tap } from 'rxjs/operators';
import type { Genotype } from '../../shared/genotype.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import type { Strategy } from '../strategies/strategy.ts';
import type { RunStore } from '../store/index.ts';
import { evaluateTrial, type EvaluateDeps, type TrialStreamEvent } from './evaluate-trial.ts';
import { MedianStopping, type MedianStopSettings } from './median-stopping.ts';
import type { SearchEvent } from './search-events.ts';
import { SearchLoop, type LoopCommand } from './search-loop.ts';
import type { QueuedTrialRef } from './trial-end.ts';
import { TrialLifecycle } from './trial-lifecycle.ts';
import type { TrainerPool } from './trainer-pool.ts';

export { SNAPSHOT_MIN_INTERVAL_MS } from './search-loop.ts';

/** Everything the pipeline drives. */
export interface SearchDriver {
  readonly strategy: Strategy;
  readonly store: RunStore;
  readonly pool: TrainerPool;
  /** The trial request for a genotype (dataset, network and training settings of the run). */
  readonly request: (genotype: Genotype) => TrialRequest;
  /** Stop asking once the run holds this many trials (null: no limit). */
  readonly maxTrials: number | null;
  readonly maxAttempts: number;
  readonly rewardEpochs: number;
  /** Reuse the reward of an earlier trial of the same canonical genotype instead of training it again. */
  readonly reuseDuplicates: boolean;
  /** Save a snapshot after this many finished trials (and `SNAPSHOT_MIN_INTERVAL_MS`). */
  readonly snapshotEvery: number;
  /** Stop trials early by the median rule, or run every trial to the end (null). */
  readonly medianStop: MedianStopSettings | null;
  /** The clock of the snapshot cadence, in milliseconds (default: `performance.now`). */
  readonly now?: () => number;
}

/** Runs the search until the trial limit is reached and every trial finished, or until `stop$` emits. */
export function runSearch(d: SearchDriver, stop$: Observable<unknown>): Observable<SearchEvent> {
  return new Observable<SearchEvent>((subscriber) => {
    const medianStop = d.medianStop === null ? null : medianStopFrom(d.store, d.medianStop);
    // One owner of every trial's state changes, shared by the loop and the trials' streams.
    const trials = new TrialLifecycle(d.store);
    const loop = loopOf(d, trials, d.pool.capacity(), medianStop);
    const deps: EvaluateDeps = {
      pool: d.pool,
      trials,
      maxAttempts: d.maxAttempts,
      medianStop,
    };
    const report = reportAfterCommit(d.store, subscriber);
    // A commit the disk refused (full) ends the search: its turn is rolled back, nothing reported.
    const storeFailed = d.store.onWriteFailure((err) => subscriber.error(err));
    const dispatch$ = new Subject<QueuedTrialRef>();
    const execute = (commands: readonly LoopCommand[]): void => {
      for (const command of commands) {
        if (command.kind === 'dispatch') dispatch$.next(command.trial);
        else report(command.kind === 'report' ? command.event : 'complete');
      }
    };
    const onTrialEvent = (event: TrialStreamEvent): void => {
      if (event.type === 'trial-ended') execute(loop.trialEnded(event.trialId, event.end));
      else report(event);
    };
    const running = dispatch$
      .pipe(
        // The loop keeps at most the pool's slots in flight, however the pool changes size.
        mergeMap((trial) => evaluateTrial(trial, deps)),
        tap(onTrialEvent),
      )
      .subscribe({ error: (err: unknown) => subscriber.error(err) });
    execute(loop.start());
    const resizing = d.pool.onResize(() => {
      try {
        execute(loop.resize(d.pool.capacity()));
      } catch (err) {
        subscriber.error(err);
      }
    });
    const stopping = stop$.pipe(take(1)).subscribe(() => {
      running.unsubscribe();
      try {
        execute(loop.stop());
      } catch (err) {
        subscriber.error(err);
      }
    });
    return () => {
      storeFailed();
      resizing();
      running.unsubscribe();
      stopping.unsubscribe();
    };
  });
}

/** The state machine of the search `d` drives, with `slots` trials at once. */
function loopOf(
  d: SearchDriver,
  trials: TrialLifecycle,
  slots: number,
  medianStop: MedianStopping | null,
): SearchLoop {
  return new SearchLoop({
    strategy: d.strategy,
    store: d.store,
    trials,
    request: d.request,
    maxTrials: d.maxTrials,
    slots,
    rewardEpochs: d.rewardEpochs,
    reuseDuplicates: d.reuseDuplicates,
    snapshotEvery: d.snapshotEvery,
    medianStop,
    now: d.now ?? (() => performance.now()),
  });
}

/**
 * Reports events (and the completion) once the writes behind them are committed, so a crash never
 * takes back an event someone saw (with per-turn commits they wait for the end of the turn).
 */
function reportAfterCommit(
  store: RunStore,
  subscriber: Subscriber<SearchEvent>,
): (event: SearchEvent | 'complete') => void {
  let outbox: (SearchEvent | 'complete')[] = [];
  const flush = (): void => {
    const events = outbox;
    outbox = [];
    for (const event of events) {
      if (event === 'complete') subscriber.complete();
      else subscriber.next(event);
    }
  };
  return (event) => {
    if (outbox.push(event) === 1) store.afterCommit(flush);
  };
}

/** The median rule, with the completed trials of the run so far (a resumed one) as references. */
function medianStopFrom(store: RunStore, settings: MedianStopSettings): MedianStopping {
  const rule = new MedianStopping(settings);
  for (const trial of store.trials({ status: ['succeeded'] })) {
    if (trial.result !== null) rule.ended(trial.id, store.epochs(trial.id));
  }
  return rule;
}
