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
  running: number;
  /** Consecutive transport failures; 0 when healthy. */
  failures: number;
  /** Not used before this time (ms since the epoch). */
  downUntil: number;
}

/** Backoff after the first failure, doubled per failure up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 1_000;
/** The longest a trainer is left out. */
export const MAX_BACKOFF_MS = 60_000;

/** Trainers with free slots, handed out least-loaded first. */
export class TrainerPool {
  private readonly trainers: PoolTrainer[];

  /** `now` is the clock of the backoffs (ms since the epoch); tests pass a virtual one. */
  constructor(
    members: readonly { client: TrainerClient; capacity: number }[],
    private readonly now: () => number = Date.now,
  ) {
    this.trainers = members.map(({ client, capacity }) => ({
      address: client.address,
      client,
      capacity,
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

  /** A healthy trainer with a free slot (least loaded first), marked busy; null when none is free now. */
  acquire(now = this.now()): PoolTrainer | null {
    const free = this.trainers.filter((t) => t.running < t.capacity && t.downUntil <= now);
    free.sort((a, b) => a.running / a.capacity - b.running / b.capacity);
    const chosen = free[0];
    if (chosen === undefined) return null;
    chosen.running++;
    return chosen;
  }

  /** Frees the slot taken by {@link acquire}. */
  release(trainer: PoolTrainer): void {
    trainer.running = Math.max(0, trainer.running - 1);
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

  /** The trainers' addresses. */
  addresses(): string[] {
    return this.trainers.map((t) => t.address);
  }

  /** Closes every connection. */
  close(): void {
    for (const t of this.trainers) t.client.close();
  }
}
