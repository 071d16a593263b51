/**
 * The one owner of a trial's state during a search: every change (asked, dispatched, running,
 * retried, finished, cancelled) goes through {@link TrialLifecycle}, which checks that the change is
 * allowed from the trial's state and makes the run store's write for it in the same call. The search
 * loop and the trial's stream ask it; no other module of a search writes a trial row (ESLint's
 * `no-restricted-syntax` rule for `controller/` says so).
 */
import type { EpochMetrics } from '../../shared/trial.ts';
import type { QueuedTrial, RunStore, TrialOutcome } from '../store/index.ts';

/**
 * Where a live trial stands. `queued`: waiting for a trainer (new, re-run after a resume, or waiting
 * to be re-dispatched); `dispatched`: a trainer was chosen and the call made, nothing answered yet;
 * `running`: the trainer answered. A finished trial has no phase: it leaves the lifecycle.
 */
export type TrialPhase = 'queued' | 'dispatched' | 'running';

/** The run store's trial writes (and only those): what the lifecycle records. */
export type TrialWrites = Pick<
  RunStore,
  | 'journal'
  | 'trialQueued'
  | 'trialStarted'
  | 'trialEpoch'
  | 'trialFinished'
  | 'trialRequeued'
  | 'trialInterrupted'
>;

/** A change asked of a trial its state does not allow: a bug in the search, never the trainer's doing. */
export class TrialLifecycleError extends Error {
  override readonly name = 'TrialLifecycleError';
}

/**
 * The live trials of one search and their phases. Invariants: a trial is written `started` only from
 * `queued` or `dispatched`, receives epochs only while `dispatched` or `running`, is requeued only
 * after a trainer took it, and finishes once; afterwards nothing more is written for it.
 */
export class TrialLifecycle {
  private readonly phases = new Map<number, TrialPhase>();

  constructor(private readonly store: TrialWrites) {}

  /** The strategy asked a new candidate: its row is queued and the journal records the ask. */
  asked(trial: QueuedTrial): number {
    const id = this.store.trialQueued(trial);
    this.store.journal.asked(trial.candidateId);
    this.phases.set(id, 'queued');
    return id;
  }

  /**
   * A row an earlier run left unfinished is taken on (a resume): queued again, and one the crash
   * left `running` is put back in the queue without counting an attempt.
   */
  adopted(id: number, leftRunning: boolean): void {
    if (leftRunning)
      this.store.trialInterrupted(id, 'the search ended (crashed) before the trial finished');
    this.phases.set(id, 'queued');
  }

  /** An ask of a candidate whose row a crash left queued: the row is reused, the ask journalled. */
  reasked(id: number, candidateId: number): void {
    this.expect(id, ['queued'], 'asked again');
    this.store.journal.asked(candidateId);
  }

  /** A trainer was chosen for the trial and its call made. */
  dispatched(id: number, trainer: string): void {
    this.expect(id, ['queued', 'dispatched'], 'dispatched');
    this.store.trialStarted(id, trainer);
    this.phases.set(id, 'dispatched');
  }

  /** The trainer answered the trial's call: it took the trial. */
  running(id: number): void {
    this.expect(id, ['dispatched', 'running'], 'running');
    this.phases.set(id, 'running');
  }

  /** One epoch the trainer reported (already checked). */
  epoch(id: number, metrics: EpochMetrics): void {
    this.expect(id, ['running'], 'given an epoch');
    this.store.trialEpoch(id, metrics);
  }

  /**
   * The attempt failed in a way another trainer may not (transport): back to the queue. An attempt
   * a trainer took counts (`attempts + 1`, epochs cleared); one no trainer took leaves the row as is.
   */
  retried(id: number, reason: string): void {
    const phase = this.expect(id, ['dispatched', 'running'], 'retried');
    if (phase === 'running') this.store.trialRequeued(id, reason);
    this.phases.set(id, 'queued');
  }

  /** The trial ended (succeeded, failed, stopped early or reused): stored once, then forgotten. */
  finished(id: number, outcome: TrialOutcome): void {
    this.expect(id, ['queued', 'dispatched', 'running'], 'finished');
    this.store.trialFinished(id, outcome);
    this.phases.delete(id);
  }

  /**
   * The search stopped while the trial was live (its call already cancelled): back in the queue
   * without counting an attempt, so a resumed search runs it first. Forgotten by this search.
   */
  cancelled(id: number, reason: string): void {
    this.expect(id, ['queued', 'dispatched', 'running'], 'cancelled');
    this.store.trialInterrupted(id, reason);
    this.phases.delete(id);
  }

  /** The trial's phase, or undefined when it is not live in this search (finished or unknown). */
  phase(id: number): TrialPhase | undefined {
    return this.phases.get(id);
  }

  private expect(id: number, allowed: readonly TrialPhase[], change: string): TrialPhase {
    const phase = this.phases.get(id);
    if (phase === undefined || !allowed.includes(phase)) {
      const now = phase ?? 'not live in this search';
      throw new TrialLifecycleError(
        `trial ${id} cannot be ${change}: it is ${now} (allowed from ${allowed.join(', ')})`,
      );
    }
    return phase;
  }
}
