/**
 * The pool of trainers a search dispatches to: each trainer's capacity, how many trials it runs, and
 * whether it is healthy. A trainer whose call failed for transport reasons is taken out and tried
 * again after an exponential backoff.
 */
import type { TrainerClient } from '../trainer-client/index.ts';

/** One trainer of the pool. */
export interface PoolTrainer {
  readonly address: string;
  readonly client: TrainerClient;
  readonly capacity: number;
  /** The most memory a trial's estimate may need there (GetInfo); null: no limit. */
  readonly maxMemoryBytes: number | null;
  running: number;
  /** Consecutive transport failures; 0 when healthy. */
  failures: number;
  /** Not used before this time (ms since the epoch). */
  downUntil: number;
}

/** One trainer as {@link TrainerPool.trainerStates} reports it. */
export interface TrainerState {
  readonly address: string;
  readonly capacity: number;
  readonly running: number;
  /** Left out after a transport failure until its backoff ends. */
  readonly down: boolean;
}

/** Backoff after the first failure, doubled per failure up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 1_000;
/** The longest a trainer is left out. */
export const MAX_BACKOFF_MS = 60_000;

/** Trainers with free slots, handed out least-loaded first. */
export class TrainerPool {
  private readonly trainers: PoolTrainer[];
  private readonly waiting = new Set<() => void>();

  /** `now` is the clock of the backoffs (ms since the epoch); tests pass a virtual one. */
  constructor(
    members: readonly {
      client: TrainerClient;
      capacity: number;
      maxMemoryBytes?: number | null;
    }[],
    private readonly now: () => number = Date.now,
  ) {
    this.trainers = members.map(({ client, capacity, maxMemoryBytes = null }) => ({
      address: client.address,
      client,
      capacity,
      maxMemoryBytes,
      running: 0,
      failures: 0,
      downUntil: 0,
    }));
  }

  /** Slots of all trainers together: the pipeline's concurrency. */
  capacity(): number {
    return this.trainers.reduce((sum, t) => sum + t.capacity, 0);
  }

  /** Busy slots and total slots, for the live view. */
  load(): { readonly busy: number; readonly total: number; readonly down: number } {
    const now = this.now();
    return {
      busy: this.trainers.reduce((sum, t) => sum + t.running, 0),
      total: this.capacity(),
      down: this.trainers.filter((t) => t.downUntil > now).length,
    };
  }

  /**
   * A trainer with a free slot whose memory limit `bytes` fits, marked busy; null when none is free
   * now. Trainers whose last call succeeded come first, then those on probation after a failure;
   * `avoid` (the trainer a trial just failed on) comes last; least loaded first within each.
   */
  acquire(avoid?: string, bytes = 0, now = this.now()): PoolTrainer | null {
    const free = this.trainers.filter((t) => isFree(t, now) && fits(t, bytes));
    const rank = (t: PoolTrainer): number =>
      (t.failures > 0 ? 2 : 0) + (t.address === avoid ? 1 : 0) + t.running / t.capacity / 2;
    free.sort((a, b) => rank(a) - rank(b));
    const chosen = free[0];
    if (chosen === undefined) return null;
    chosen.running++;
    return chosen;
  }

  /** True when a trainer other than `except`, healthy by its last call, has a free slot now. */
  hasFreeHealthy(except: string, now = this.now()): boolean {
    return this.trainers.some((t) => t.address !== except && t.failures === 0 && isFree(t, now));
  }

  /**
   * Frees the slot taken by {@link acquire} and wakes those waiting for one, synchronously: a trial
   * waiting to be re-dispatched takes the slot before the search queues a new trial in it.
   */
  release(trainer: PoolTrainer): void {
    trainer.running = Math.max(0, trainer.running - 1);
    if (this.waiting.size === 0) return;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const wake of waiting) wake();
  }

  /** Calls `wake` once, at the next {@link release}; returns how to stop waiting. */
  onceReleased(wake: () => void): () => void {
    this.waiting.add(wake);
    return () => this.waiting.delete(wake);
  }

  /** A call to `trainer` succeeded: it is healthy again. */
  markHealthy(trainer: PoolTrainer): void {
    trainer.failures = 0;
    trainer.downUntil = 0;
  }

  /** A call to `trainer` failed for transport reasons: leave it out for a growing while. */
  markDown(trainer: PoolTrainer, now = this.now()): void {
    trainer.failures++;
    trainer.downUntil =
      now + Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (trainer.failures - 1));
  }

  /** Milliseconds until some trainer could take a trial again (0 if one can now). */
  msUntilAvailable(now = this.now()): number {
    const waits = this.trainers
      .filter((t) => t.running < t.capacity)
      .map((t) => Math.max(0, t.downUntil - now));
    return waits.length === 0 ? 0 : Math.min(...waits);
  }

  /** Each trainer's memory limit (null: none), for admission by cost. */
  memoryLimits(): (number | null)[] {
    return this.trainers.map((t) => t.maxMemoryBytes);
  }

  /** Each trainer's address, slots, running trials and whether it is left out now (for metrics). */
  trainerStates(now = this.now()): TrainerState[] {
    return this.trainers.map((t) => ({
      address: t.address,
      capacity: t.capacity,
      running: t.running,
      down: t.downUntil > now,
    }));
  }

  /** The trainers' addresses. */
  addresses(): string[] {
    return this.trainers.map((t) => t.address);
  }

  /** Closes every connection. */
  close(): void {
    for (const t of this.trainers) t.client.close();
  }
}

function isFree(t: PoolTrainer, now: number): boolean {
  return t.running < t.capacity && t.downUntil <= now;
}

function fits(t: PoolTrainer, bytes: number): boolean {
  return t.maxMemoryBytes === null || bytes <= t.maxMemoryBytes;
}
