/**
 * The search loop as a plain state machine, shaped like the strategies: no Rx and no timers. It owns
 * the trials in flight, how many the run has queued against `maxTrials`, the rows a crash left, the
 * snapshot cadence, stopping and completion. Each method takes an event (start, a trial ended, a
 * stop) and returns, in order, what its edge (`runSearch`) must do: report an event, dispatch a
 * trial to the pool, or complete. Its one side effect is synchronous bookkeeping through
 * {@link LoopStore} (the run store, or any in-memory stand-in) in the same turn as the decision,
 * which is what makes a resume exact; all waiting, calls and cancellation belong to the edge.
 */
import { genotypeHash } from '../../shared/canonical.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import type { Candidate, SearchSnapshot, Strategy } from '../strategies/strategy.ts';
import type { RunStore } from '../store/index.ts';
import type { MedianStopping } from './median-stopping.ts';
import { outcomeOf, type QueuedTrialRef, type TrialEnd } from './trial-end.ts';
import type { SearchEvent, TrialFinishedEvent } from './search-events.ts';
import { TrialLifecycle, type TrialWrites } from './trial-lifecycle.ts';

/**
 * The least time between two periodic snapshots. The journal makes any snapshot exact, so they only
 * bound how much a resume replays; at thousands of trials per second, one per `snapshotEvery` tells
 * would spend the controller on serialising pending candidates.
 */
export const SNAPSHOT_MIN_INTERVAL_MS = 2_000;

/** One thing the loop asks its edge to do; a step's commands are carried out in order. */
export type LoopCommand =
  | { readonly kind: 'report'; readonly event: SearchEvent }
  | { readonly kind: 'dispatch'; readonly trial: QueuedTrialRef }
  | { readonly kind: 'complete' };

/**
 * What the loop reads and records: the run store's synchronous reads and snapshot it needs, and the
 * trial writes its {@link TrialLifecycle} makes (the loop itself writes no trial row).
 */
export type LoopStore = Pick<
  RunStore,
  'counts' | 'finishedHash' | 'journal' | 'saveSnapshot' | 'trials' | 'unfinishedTrials'
> &
  TrialWrites;

/** What the loop drives. */
export interface SearchLoopDeps {
  readonly strategy: Strategy;
  readonly store: LoopStore;
  /**
   * The owner of the trials' state changes, shared with the trials' streams (`evaluateTrial`);
   * default: a new one over `store`.
   */
  readonly trials?: TrialLifecycle;
  /** The trial request for a genotype (dataset, network and training settings of the run). */
  readonly request: (genotype: Genotype) => TrialRequest;
  /** Stop asking once the run holds this many trials (null: no limit). */
  readonly maxTrials: number | null;
  /** Trials run at once at the start: the pool's slots ({@link SearchLoop.resize} changes it). */
  readonly slots: number;
  readonly rewardEpochs: number;
  /** Reuse the reward of an earlier trial of the same canonical genotype instead of training it again. */
  readonly reuseDuplicates: boolean;
  /** Save a snapshot after this many finished trials (and {@link SNAPSHOT_MIN_INTERVAL_MS}). */
  readonly snapshotEvery: number;
  /** The median stopping rule the trials' epochs go to, told here when each trial ends; or null. */
  readonly medianStop: MedianStopping | null;
  /** Milliseconds on any monotonic clock, for the snapshot cadence. */
  readonly now: () => number;
}

interface InFlight {
  readonly candidate: Candidate;
  readonly hash: string;
  /** The journal already told this candidate's result (its row was re-queued since): not told again. */
  readonly told?: boolean;
}

/**
 * The loop of one search. Invariants: at most `slots` trials are dispatched and unfinished; each
 * trial ends once, through `recordFinish`, and is told to the strategy and journal in the same turn
 * as it is stored; after `stop` or completion nothing more is dispatched or recorded.
 */
export class SearchLoop {
  private readonly inFlight = new Map<number, InFlight>();
  /** After a resume: the strategy's pending candidates, with their stored trials, to run first. */
  private readonly rerun: {
    readonly trial: QueuedTrialRef;
    readonly candidate: Candidate;
    readonly told?: boolean;
  }[] = [];
  /** Unfinished rows a crash left, by candidate id: an ask of that candidate reuses the row. */
  private leftOver = new Map<number, { readonly id: number; readonly attempts: number }>();
  private queued = 0;
  private state: 'new' | 'running' | 'done' = 'new';
  private sinceSnapshot = 0;
  private lastSnapshotAt: number;
  private slots: number;
  private readonly lifecycle: TrialLifecycle;

  constructor(private readonly d: SearchLoopDeps) {
    this.lastSnapshotAt = d.now();
    this.slots = d.slots;
    this.lifecycle = d.trials ?? new TrialLifecycle(d.store);
  }

  /** Starts or resumes: requeues trials a crash left running, then fills the slots, re-runs first. */
  start(): LoopCommand[] {
    if (this.state !== 'new') return [];
    this.state = 'running';
    const { store, strategy } = this.d;
    this.queued = Object.values(store.counts()).reduce((sum, n) => sum + n, 0);
    for (const trial of store.trials({ status: ['running'] }))
      this.lifecycle.adopted(trial.id, true);
    const unfinished = store.unfinishedTrials();
    for (const trial of unfinished)
      if (this.lifecycle.phase(trial.id) === undefined) this.lifecycle.adopted(trial.id, false);
    this.leftOver = new Map(
      unfinished.map((t) => [t.candidateId, { id: t.id, attempts: t.attempts }]),
    );
    const byCandidate = new Map(unfinished.map((t) => [t.candidateId, t]));
    for (const candidate of strategy.pending()) {
      const trial = byCandidate.get(candidate.id);
      if (trial === undefined) continue;
      const request = this.d.request(candidate.genotype);
      const ref = { trialId: trial.id, hash: trial.hash, request, attempts: trial.attempts };
      this.rerun.push({ trial: ref, candidate });
    }
    // Rows re-queued after the journal told their result (by hand or `nas-ctl doctor --repair`):
    // the strategy will never ask them again, so they run again here, without a second tell.
    for (const id of store.journal.toldAmong(unfinished.map((t) => t.candidateId))) {
      const trial = byCandidate.get(id);
      if (trial === undefined || this.rerun.some((r) => r.candidate.id === id)) continue;
      this.leftOver.delete(id);
      const candidate = { id, genotype: trial.genotype, meta: trial.meta };
      const request = this.d.request(trial.genotype);
      const ref = { trialId: trial.id, hash: trial.hash, request, attempts: trial.attempts };
      this.rerun.push({ trial: ref, candidate, told: true });
    }
    return this.fill([]);
  }

  /** A dispatched trial ended: records it and fills the slot it freed. Unknown or late ends are ignored. */
  trialEnded(trialId: number, end: TrialEnd): LoopCommand[] {
    if (this.state !== 'running' || !this.inFlight.has(trialId)) return [];
    const out: LoopCommand[] = [];
    this.recordFinish(trialId, end, out);
    return this.fill(out);
  }

  /**
   * Stops: the trials in flight go back to the queue (the edge has cancelled their calls), and the
   * snapshot is saved in the same turn, so a resumed search runs them first and none looks running.
   */
  stop(): LoopCommand[] {
    if (this.state === 'done') return [];
    this.state = 'done';
    for (const trialId of this.inFlight.keys())
      this.lifecycle.cancelled(trialId, 'the search stopped before the trial finished');
    this.snapshot();
    return [{ kind: 'complete' }];
  }

  /**
   * The pool's slots changed (trainers joined or left): more slots are filled at once; with fewer,
   * the trials in flight run on and the loop dispatches again once they are below the new count.
   */
  resize(slots: number): LoopCommand[] {
    this.slots = Math.max(0, slots);
    return this.state === 'running' ? this.fill([]) : [];
  }

  /** Trials dispatched and not yet ended, by trial id. */
  inFlightTrials(): number[] {
    return [...this.inFlight.keys()];
  }

  /** Dispatches re-runs, then new candidates, while slots and the trial limit allow; completes when nothing is left. */
  private fill(out: LoopCommand[]): LoopCommand[] {
    while (this.state === 'running' && this.inFlight.size < this.slots) {
      const rerun = this.rerun.shift();
      if (rerun !== undefined) {
        const { trial, candidate, told } = rerun;
        this.inFlight.set(trial.trialId, { candidate, hash: trial.hash, told });
        out.push({ kind: 'dispatch', trial });
      } else if (!this.budgetSpent()) {
        this.queueNext(out);
      } else break;
    }
    // Without slots (every trainer gone for now) the search waits for one, it is not over.
    const idle = this.inFlight.size === 0 && this.rerun.length === 0;
    if (this.state === 'running' && idle && this.budgetSpent()) {
      this.state = 'done';
      this.snapshot();
      out.push({ kind: 'complete' });
    }
    return out;
  }

  private budgetSpent(): boolean {
    return this.d.maxTrials !== null && this.queued >= this.d.maxTrials;
  }

  /** Asks the strategy for a candidate and queues it (in a row a crash left, if any); a duplicate is recorded at once. */
  private queueNext(out: LoopCommand[]): void {
    const { store, strategy } = this.d;
    const candidate = strategy.ask();
    const hash = genotypeHash(candidate.genotype);
    const left = this.leftOver.get(candidate.id);
    if (left === undefined) this.queued++;
    else this.leftOver.delete(candidate.id);
    const trialId =
      left?.id ??
      this.lifecycle.asked({
        candidateId: candidate.id,
        genotype: candidate.genotype,
        hash,
        meta: candidate.meta,
      });
    if (left !== undefined) this.lifecycle.reasked(left.id, candidate.id);
    this.inFlight.set(trialId, { candidate, hash });
    out.push({
      kind: 'report',
      event: { type: 'trial-queued', trialId, candidateId: candidate.id, hash },
    });
    const earlier = this.d.reuseDuplicates ? store.finishedHash(hash) : undefined;
    if (earlier !== undefined && earlier.status === 'succeeded' && earlier.id !== trialId) {
      this.recordFinish(
        trialId,
        { kind: 'reused', earlierId: earlier.id, reward: earlier.reward },
        out,
      );
    } else {
      const request = this.d.request(candidate.genotype);
      const attempts = left?.attempts ?? 1;
      out.push({ kind: 'dispatch', trial: { trialId, hash, request, attempts } });
    }
  }

  /**
   * The one path of a finished trial: stored, ended in the median rule, told to the strategy and the
   * journal, reported, and counted towards the next snapshot.
   */
  private recordFinish(trialId: number, end: TrialEnd, out: LoopCommand[]): void {
    const trial = this.inFlight.get(trialId);
    if (trial === undefined) return;
    this.inFlight.delete(trialId);
    const outcome = outcomeOf(end, this.d.rewardEpochs);
    const epochs = outcome.status === 'succeeded' ? (outcome.result?.epochs ?? null) : null;
    this.d.medianStop?.ended(trialId, epochs);
    this.lifecycle.finished(trialId, outcome);
    const event: TrialFinishedEvent = {
      type: 'trial-finished',
      trialId,
      hash: trial.hash,
      ...outcome,
      reused: end.kind === 'reused',
    };
    out.push({ kind: 'report', event });
    if (trial.told !== true) {
      this.d.strategy.tell(trial.candidate, outcome.reward);
      this.d.store.journal.told(trial.candidate.id, outcome.reward);
    }
    this.sinceSnapshot++;
    const due = this.d.now() - this.lastSnapshotAt >= SNAPSHOT_MIN_INTERVAL_MS;
    if (this.sinceSnapshot >= this.d.snapshotEvery && due) this.snapshot();
  }

  private snapshot(): void {
    const { store, strategy } = this.d;
    const value: SearchSnapshot = {
      version: 1,
      journalSeq: store.journal.position(),
      strategy: strategy.snapshot(),
    };
    const counts = store.counts();
    store.saveSnapshot(value, counts.succeeded + counts.failed + counts.cancelled);
    this.sinceSnapshot = 0;
    this.lastSnapshotAt = this.d.now();
  }
}
