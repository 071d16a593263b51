/**
 * The search pipeline. Demand drives it: whenever the pool has a free slot, the strategy is asked
 * for a candidate, which is queued in the store and journal and flows through `evaluateTrial` with
 * `mergeMap`; each finished trial is told to the strategy and frees the slot for the next one, so
 * no trainer idles waiting for a batch. A stop (Ctrl-C, time limit) cancels the trials in flight —
 * unsubscribing cancels their gRPC calls — and saves the strategy; a resumed run re-runs them.
 */
import { Observable, Subject } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import { genotypeHash } from '../../shared/canonical.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import type { Candidate, Strategy } from '../strategies/strategy.ts';
import type { RunStore } from '../store/index.ts';
import { evaluateTrial, type EvaluateDeps, type QueuedTrialRef } from './evaluate-trial.ts';
import { MedianStopping, type MedianStopSettings } from './median-stopping.ts';
import type { SearchEvent, TrialFinishedEvent } from './search-events.ts';
import type { TrainerPool } from './trainer-pool.ts';

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
  /** Save a strategy snapshot after this many tells (and {@link SNAPSHOT_MIN_INTERVAL_MS}). */
  readonly snapshotEvery: number;
  /** Stop trials early by the median rule, or run every trial to the end (null). */
  readonly medianStop: MedianStopSettings | null;
}

/**
 * The least time between two periodic snapshots. The journal makes any snapshot exact, so they only
 * bound how much a resume replays; at thousands of trials per second, one per `snapshotEvery` tells
 * would spend the controller on serialising pending candidates.
 */
export const SNAPSHOT_MIN_INTERVAL_MS = 2_000;

/** The stored snapshot: the strategy's state and the journal position it reflects. */
export interface SearchSnapshot {
  readonly journalSeq: number;
  readonly strategy: ReturnType<Strategy['snapshot']>;
}

/** Runs the search until the trial limit is reached and every trial finished, or until `stop$` emits. */
export function runSearch(d: SearchDriver, stop$: Observable<unknown>): Observable<SearchEvent> {
  return new Observable<SearchEvent>((subscriber) => {
    const deps: EvaluateDeps = {
      pool: d.pool,
      store: d.store,
      maxAttempts: d.maxAttempts,
      rewardEpochs: d.rewardEpochs,
      medianStop: d.medianStop === null ? null : medianStopFrom(d.store, d.medianStop),
    };
    // Events are reported once the writes behind them are committed, so a crash never takes back
    // an event someone saw (with per-turn commits they wait for the end of the turn).
    let outbox: (SearchEvent | 'complete')[] = [];
    const flush = (): void => {
      const events = outbox;
      outbox = [];
      for (const event of events) {
        if (event === 'complete') subscriber.complete();
        else subscriber.next(event);
      }
    };
    const report = (event: SearchEvent | 'complete'): void => {
      if (outbox.push(event) === 1) d.store.afterCommit(flush);
    };
    const inFlight = new Map<number, Candidate>();
    const dispatch$ = new Subject<QueuedTrialRef>();
    let stopped = false;
    let sinceSnapshot = 0;
    let lastSnapshotAt = performance.now();
    let queuedSoFar = totalTrials(d.store);
    requeueLeftRunning(d.store);
    const leftOver = new Map(d.store.unfinishedTrials().map((t) => [t.candidateId, t.id]));
    const snapshot = (): void => {
      const value: SearchSnapshot = {
        journalSeq: d.store.journal.position(),
        strategy: d.strategy.snapshot(),
      };
      const counts = d.store.counts();
      d.store.saveSnapshot(value, counts.succeeded + counts.failed + counts.cancelled);
      sinceSnapshot = 0;
      lastSnapshotAt = performance.now();
    };
    const told = (event: TrialFinishedEvent): void => {
      const candidate = inFlight.get(event.trialId);
      if (candidate === undefined) return;
      inFlight.delete(event.trialId);
      d.strategy.tell(candidate, event.reward);
      d.store.journal.told(candidate.id, event.reward);
      const due = performance.now() - lastSnapshotAt >= SNAPSHOT_MIN_INTERVAL_MS;
      if (++sinceSnapshot >= d.snapshotEvery && due) snapshot();
    };
    const finishIfDone = (): void => {
      if (inFlight.size > 0 || stopped) return;
      stopped = true;
      snapshot();
      report('complete');
    };
    const fill = (): void => {
      while (
        !stopped &&
        inFlight.size < d.pool.capacity() &&
        (d.maxTrials === null || queuedSoFar < d.maxTrials)
      ) {
        const queued = queueNext(d, inFlight, leftOver);
        if (!leftOver.has(queued.candidate.id)) queuedSoFar++;
        leftOver.delete(queued.candidate.id);
        report({
          type: 'trial-queued',
          trialId: queued.ref.trialId,
          candidateId: queued.candidate.id,
          hash: queued.ref.hash,
        });
        if (queued.reused === null) dispatch$.next(queued.ref);
        else {
          report(queued.reused);
          told(queued.reused);
        }
      }
      finishIfDone();
    };
    const running = dispatch$.pipe(mergeMap((ref) => evaluateTrial(ref, deps))).subscribe({
      next: (event) => {
        report(event);
        if (event.type !== 'trial-finished') return;
        told(event);
        fill();
      },
      error: (err: unknown) => subscriber.error(err),
    });
    const stopping = stop$.subscribe(() => {
      if (stopped) return;
      stopped = true;
      running.unsubscribe();
      // The trials in flight are back in the queue, with the snapshot, in one turn: a resumed
      // search runs them first, and none looks as if it were still running meanwhile.
      for (const trialId of inFlight.keys())
        d.store.trialInterrupted(trialId, 'the search stopped before the trial finished');
      snapshot();
      report('complete');
    });
    for (const ref of resumeInFlight(d, inFlight)) dispatch$.next(ref);
    fill();
    return () => {
      running.unsubscribe();
      stopping.unsubscribe();
    };
  });
}

/** Asks the strategy for the next candidate and queues it (reusing a row left by a crash, or a finished duplicate's reward). */
function queueNext(
  d: SearchDriver,
  inFlight: Map<number, Candidate>,
  leftOver: ReadonlyMap<number, number>,
): { candidate: Candidate; ref: QueuedTrialRef; reused: TrialFinishedEvent | null } {
  const candidate = d.strategy.ask();
  const hash = genotypeHash(candidate.genotype);
  const trialId =
    leftOver.get(candidate.id) ??
    d.store.trialQueued({
      candidateId: candidate.id,
      genotype: candidate.genotype,
      hash,
      meta: candidate.meta,
    });
  d.store.journal.asked(candidate.id);
  inFlight.set(trialId, candidate);
  const ref = { trialId, hash, request: d.request(candidate.genotype) };
  const earlier = d.reuseDuplicates ? d.store.finishedHash(hash) : undefined;
  if (earlier === undefined || earlier.status !== 'succeeded' || earlier.id === trialId)
    return { candidate, ref, reused: null };
  const reason = `same network as trial ${earlier.id}`;
  d.store.trialFinished(trialId, {
    status: 'succeeded',
    reward: earlier.reward,
    reason,
    result: null,
  });
  const reused: TrialFinishedEvent = {
    type: 'trial-finished',
    trialId,
    hash,
    status: 'succeeded',
    reward: earlier.reward,
    reason,
    result: null,
    reused: true,
  };
  return { candidate, ref, reused };
}

/** After a resume: the strategy's pending candidates, matched to their stored trials, to run again. */
function resumeInFlight(d: SearchDriver, inFlight: Map<number, Candidate>): QueuedTrialRef[] {
  const unfinished = d.store.unfinishedTrials();
  const refs: QueuedTrialRef[] = [];
  for (const candidate of d.strategy.pending()) {
    const trial = unfinished.find((t) => t.candidateId === candidate.id);
    if (trial === undefined) continue;
    inFlight.set(trial.id, candidate);
    refs.push({ trialId: trial.id, hash: trial.hash, request: d.request(candidate.genotype) });
  }
  return refs;
}

/** Trials a crash left `running` go back to the queue, their partial epochs cleared. */
function requeueLeftRunning(store: RunStore): void {
  for (const trial of store.trials({ status: ['running'] }))
    store.trialInterrupted(trial.id, 'the search ended (crashed) before the trial finished');
}

/** The median rule, with the completed trials of the run so far (a resumed one) as references. */
function medianStopFrom(store: RunStore, settings: MedianStopSettings): MedianStopping {
  const rule = new MedianStopping(settings);
  for (const trial of store.trials({ status: ['succeeded'] })) {
    if (trial.result !== null) rule.ended(trial.id, store.epochs(trial.id));
  }
  return rule;
}

function totalTrials(store: RunStore): number {
  return Object.values(store.counts()).reduce((sum, n) => sum + n, 0);
}
