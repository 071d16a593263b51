/**
 * What the live view of a search knows, as a plain state machine fed with the search's events:
 * trials done (those of earlier sessions of a resumed run included), the best reward, the trials
 * running and the epochs they finished. {@link SearchProgress.status} turns it into the facts a
 * view shows at a given moment (rate, elapsed time, ETA); no I/O and no timers here.
 */
import type { SearchOrFleetEvent } from '../search/search-events.ts';

/** The trainers' load as the pool reports it. */
export interface TrainerLoad {
  readonly busy: number;
  readonly total: number;
  readonly down: number;
}

/** A trial a trainer is training now. */
export interface RunningTrial {
  readonly trialId: number;
  readonly trainer: string;
  /** Epochs finished so far (0 while the first one trains). */
  readonly epochsDone: number;
  /** Validation accuracy after the last finished epoch; null before one finished or without a split. */
  readonly validationAccuracy: number | null;
}

/** The facts of a search at one moment. */
export interface SearchStatus {
  /** Trials finished, earlier sessions of a resumed run included. */
  readonly done: number;
  /** The trial budget; null for an open-ended search. */
  readonly total: number | null;
  readonly best: number | null;
  /** Trials finished per minute in this session; null before the first one finished. */
  readonly trialsPerMinute: number | null;
  readonly load: TrainerLoad;
  readonly elapsedMs: number;
  /** Until the search ends (budget spent or `--time` up); null when there is no estimate yet or no end. */
  readonly etaMs: number | null;
  /** The epochs each trial trains. */
  readonly epochs: number;
  /** Running trials, oldest first. */
  readonly running: readonly RunningTrial[];
}

/** Where a search view starts. */
export interface SearchProgressStart {
  readonly total: number | null;
  /** Trials an earlier session of this run finished: counted as done, not in the rate. */
  readonly alreadyFinished: number;
  /** The best reward of those trials, if any. */
  readonly best: number | null;
  readonly epochs: number;
  /** When this session started, in milliseconds since the epoch. */
  readonly startedAt: number;
  /** When `--time` stops the search (ms since the epoch), or null. */
  readonly deadline: number | null;
  /** The pool's load before the first event. */
  readonly load: TrainerLoad;
}

/** The state of a search view. */
export class SearchProgress {
  private done: number;
  private best: number | null;
  private load: TrainerLoad;
  private readonly running = new Map<number, RunningTrial>();

  constructor(private readonly start: SearchProgressStart) {
    this.done = start.alreadyFinished;
    this.best = start.best;
    this.load = start.load;
  }

  /** Takes one event and the pool's load after it. */
  apply(event: SearchOrFleetEvent, load: TrainerLoad): void {
    this.load = load;
    switch (event.type) {
      case 'trainer-joined':
      case 'trainer-unreachable':
      case 'trainer-left':
      case 'discovery-warning':
        return;
      case 'trial-queued':
        return;
      case 'trial-started': {
        const { trialId, trainer } = event;
        this.running.set(trialId, { trialId, trainer, epochsDone: 0, validationAccuracy: null });
        return;
      }
      case 'trial-epoch': {
        const trial = this.running.get(event.trialId);
        if (trial === undefined) return;
        const accuracy = event.metrics.validationAccuracy;
        this.running.set(event.trialId, {
          ...trial,
          epochsDone: event.metrics.epoch,
          validationAccuracy: Number.isFinite(accuracy) ? accuracy : null,
        });
        return;
      }
      case 'trial-retry':
        this.running.delete(event.trialId);
        return;
      case 'trial-finished':
        this.running.delete(event.trialId);
        this.done++;
        if (event.reward !== null && (this.best === null || event.reward > this.best))
          this.best = event.reward;
        return;
    }
  }

  /** The facts at `now` (ms since the epoch). */
  status(now: number): SearchStatus {
    const { total, alreadyFinished, startedAt, deadline, epochs } = this.start;
    const elapsedMs = Math.max(0, now - startedAt);
    const finishedHere = this.done - alreadyFinished;
    const trialsPerMinute =
      finishedHere > 0 && elapsedMs > 0 ? finishedHere / (elapsedMs / 60_000) : null;
    const byRate =
      total === null || trialsPerMinute === null
        ? null
        : (Math.max(0, total - this.done) / trialsPerMinute) * 60_000;
    const byTime = deadline === null ? null : Math.max(0, deadline - now);
    const etaMs = byRate === null ? byTime : byTime === null ? byRate : Math.min(byRate, byTime);
    return {
      done: this.done,
      total,
      best: this.best,
      trialsPerMinute,
      load: this.load,
      elapsedMs,
      etaMs,
      epochs,
      running: [...this.running.values()],
    };
  }
}
