/**
 * The pool of trainers a search dispatches to: each trainer's capacity, how many trials it runs, and
 * whether it is healthy. A trainer whose call failed for transport reasons is taken out and tried
 * again after an exponential backoff. Members come and go while a search runs (controller/fleet/):
 * one that leaves is drained — it gets no new trial, and is closed once its running trials ended.
 * One that keeps sending results that cannot be true is suspect, and left out for long.
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
  /** Left the fleet: no new trial; closed and removed when `running` reaches 0. */
  draining: boolean;
  /** Consecutive invalid results (numbers that cannot be true, result-check.ts); 0 after a valid one. */
  invalidResults: number;
  /** Suspect after {@link SUSPECT_AFTER} invalid results in a row: not used before this time. */
  suspectUntil: number;
}

/** A trainer joining the pool: its connection and what GetInfo said. */
export interface PoolMember {
  readonly client: TrainerClient;
  readonly capacity: number;
  readonly maxMemoryBytes?: number | null;
}

/** One trainer as {@link TrainerPool.trainerStates} reports it. */
export interface TrainerState {
  readonly address: string;
  readonly capacity: number;
  readonly running: number;
  /** Left out after a transport failure until its backoff ends. */
  readonly down: boolean;
  /** Left the fleet; its running trials finish first. */
  readonly draining: boolean;
}

/** Backoff after the first failure, doubled per failure up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 1_000;
/** The longest a trainer is left out. */
export const MAX_BACKOFF_MS = 60_000;

/** Invalid results in a row after which a trainer is suspect and left out for {@link SUSPECT_MS}. */
export const SUSPECT_AFTER = 3;
/** How long a suspect trainer is left out: long, as its answers cannot be believed. */
export const SUSPECT_MS = 30 * 60_000;

/** Trainers with free slots, handed out least-loaded first. */
export class TrainerPool {
  private trainers: PoolTrainer[];
  private readonly waiting = new Set<() => void>();
  private readonly resized = new Set<() => void>();
  private readonly downed = new Set<() => void>();

  /** `now` is the clock of the backoffs (ms since the epoch); tests pass a virtual one. */
  constructor(
    members: readonly PoolMember[],
    private readonly now: () => number = Date.now,
  ) {
    this.trainers = members.map(poolTrainer);
  }

  /**
   * Adds a trainer (a member that joined), or takes back one that was draining; its slots are free
   * at once. Returns false when it is a member already.
   */
  add(member: PoolMember): boolean {
    const known = this.trainers.find((t) => t.address === member.client.address);
    if (known !== undefined && !known.draining) return false;
    if (known !== undefined) {
      known.draining = false;
      member.client.close();
    } else this.trainers.push(poolTrainer(member));
    this.changed();
    return true;
  }

  /**
   * Drains the trainer at `address` (it left the fleet): no new trial goes to it, and it is closed
   * and removed once its running trials ended (at once when it runs none). Returns the trials it
   * still runs, or null when it is not a member.
   */
  remove(address: string): number | null {
    const trainer = this.trainers.find((t) => t.address === address && !t.draining);
    if (trainer === undefined) return null;
    trainer.draining = true;
    const running = trainer.running;
    this.closeDrained();
    this.changed();
    return running;
  }

  /** Calls `listener` after each change of membership (and so of {@link capacity}); returns how to stop. */
  onResize(listener: () => void): () => void {
    this.resized.add(listener);
    return () => this.resized.delete(listener);
  }

  /** Calls `listener` each time a trainer is marked down (its connection failed); returns how to stop. */
  onDown(listener: () => void): () => void {
    this.downed.add(listener);
    return () => this.downed.delete(listener);
  }

  /** Slots of the trainers that take trials (draining ones left out): the search's concurrency. */
  capacity(): number {
    return this.trainers.reduce((sum, t) => sum + (t.draining ? 0 : t.capacity), 0);
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
    if (trainer.draining && trainer.running === 0) this.closeDrained();
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

  /** A call to `trainer` succeeded: it is healthy again (a suspect one stays out until its time is up). */
  markHealthy(trainer: PoolTrainer): void {
    trainer.failures = 0;
    trainer.downUntil = trainer.suspectUntil;
  }

  /**
   * `trainer` sent a result that can be true (`valid`) or one that cannot: after
   * {@link SUSPECT_AFTER} invalid ones in a row it is suspect, out of the rotation for {@link SUSPECT_MS}.
   */
  markResult(trainer: PoolTrainer, valid: boolean, now = this.now()): void {
    trainer.invalidResults = valid ? 0 : trainer.invalidResults + 1;
    if (trainer.invalidResults < SUSPECT_AFTER) return;
    trainer.suspectUntil = now + SUSPECT_MS;
    trainer.downUntil = Math.max(trainer.downUntil, trainer.suspectUntil);
  }

  /** A call to `trainer` failed for transport reasons: leave it out for a growing while. */
  markDown(trainer: PoolTrainer, now = this.now()): void {
    trainer.failures++;
    const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (trainer.failures - 1));
    trainer.downUntil = Math.max(now + backoff, trainer.suspectUntil);
    for (const listener of [...this.downed]) listener();
  }

  /** Milliseconds until some trainer could take a trial again (0 if one can now). */
  msUntilAvailable(now = this.now()): number {
    const waits = this.trainers
      .filter((t) => !t.draining && t.running < t.capacity)
      .map((t) => Math.max(0, t.downUntil - now));
    return waits.length === 0 ? 0 : Math.min(...waits);
  }

  /** Each trainer's memory limit (null: none), for admission by cost; none while the pool is empty. */
  memoryLimits(): (number | null)[] {
    return this.trainers.filter((t) => !t.draining).map((t) => t.maxMemoryBytes);
  }

  /** Each trainer's address, slots, running trials and whether it is left out now (for metrics). */
  trainerStates(now = this.now()): TrainerState[] {
    return this.trainers.map((t) => ({
      address: t.address,
      capacity: t.capacity,
      running: t.running,
      down: t.downUntil > now,
      draining: t.draining,
    }));
  }

  /** The addresses of the trainers that take trials. */
  addresses(): string[] {
    return this.trainers.filter((t) => !t.draining).map((t) => t.address);
  }

  /** Closes every connection. */
  close(): void {
    for (const t of this.trainers) t.client.close();
  }

  /** Closes and forgets drained trainers that run nothing any more. */
  private closeDrained(): void {
    const done = this.trainers.filter((t) => t.draining && t.running === 0);
    if (done.length === 0) return;
    this.trainers = this.trainers.filter((t) => !done.includes(t));
    for (const t of done) t.client.close();
  }

  /** Tells the listeners, and wakes trials waiting for a trainer: one may have joined. */
  private changed(): void {
    for (const listener of [...this.resized]) listener();
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const wake of waiting) wake();
  }
}

function poolTrainer({ client, capacity, maxMemoryBytes = null }: PoolMember): PoolTrainer {
  return {
    address: client.address,
    client,
    capacity,
    maxMemoryBytes,
    running: 0,
    failures: 0,
    downUntil: 0,
    draining: false,
    invalidResults: 0,
    suspectUntil: 0,
  };
}

function isFree(t: PoolTrainer, now: number): boolean {
  return !t.draining && t.running < t.capacity && t.downUntil <= now;
}

function fits(t: PoolTrainer, bytes: number): boolean {
  return t.maxMemoryBytes === null || bytes <= t.maxMemoryBytes;
}
