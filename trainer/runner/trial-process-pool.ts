/**
 * The trial processes of one trainer server, one per slot of its capacity. Each trial runs in a
 * process of its own, so a trial that runs out of memory, corrupts its backend's heap or crashes
 * never affects the next trial or the server, whose event loop stays free for gRPC. A process that
 * died, faulted or would not stop is replaced; while no process can train, the pool is not ready
 * (health NOT_SERVING), and it becomes ready again by itself once a replacement has loaded.
 */
import type { Logger } from 'pino';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { Readiness, TrialHooks } from './trial-runner.ts';
import type { BackendInfo } from '../tf.ts';
import { RemoteStatusError, TrainerRecoveringError } from './errors.ts';
import type { RunnerConfig } from './runner-protocol.ts';
import { TrialProcess } from './trial-process.ts';

/** First and longest wait before starting a replacement again after one failed to start. */
const RESTART_BACKOFF_MS = { initial: 1_000, max: 30_000 };

/** What the pool needs. */
export interface TrialProcessPoolOptions {
  /** Processes, one trial each: the trainer's capacity. */
  readonly size: number;
  readonly config: RunnerConfig;
  readonly logger: Logger;
}

interface Slot {
  process: TrialProcess;
  /** Its backend has loaded and it has not died since. */
  ready: boolean;
  busy: boolean;
  /** Its process is being replaced. */
  replacing: boolean;
  /** Replacements in a row that failed to start. */
  failedStarts: number;
}

/** A pool of trial processes; {@link TrialProcessPool.start} before use. */
export class TrialProcessPool implements Readiness {
  private readonly slots: Slot[] = [];
  private readonly listeners = new Set<(ready: boolean) => void>();
  private backend: BackendInfo | null = null;
  private closed = false;
  private wasReady = false;

  constructor(private readonly options: TrialProcessPoolOptions) {}

  /** Starts every process; resolves with the backend once all loaded, or throws the first failure. */
  async start(): Promise<BackendInfo> {
    for (let i = 0; i < this.options.size; i++) {
      this.slots.push({
        process: this.spawn(),
        ready: false,
        busy: false,
        replacing: false,
        failedStarts: 0,
      });
    }
    try {
      const loaded = await Promise.all(this.slots.map((slot) => slot.process.ready));
      this.backend = loaded[0] ?? null;
    } catch (err) {
      this.close();
      throw err;
    }
    // Ready first: a process that died while the others loaded is then replaced by its watch.
    for (const slot of this.slots) slot.ready = true;
    for (const slot of this.slots) this.watch(slot);
    this.changed();
    if (this.backend === null) throw new TrainerRecoveringError();
    return this.backend;
  }

  /** Runs one trial in a free process; throws TrainerRecoveringError when none is free. */
  readonly run = async (request: TrialRequest, hooks: TrialHooks): Promise<TrialResult> => {
    const slot = this.slots.find((s) => s.ready && !s.busy);
    if (slot === undefined || this.backend === null) throw new TrainerRecoveringError();
    slot.busy = true;
    const running = slot.process;
    try {
      const { result, replace } = await running.run(request, this.backend, hooks);
      if (replace) this.replace(slot, running, result.reason);
      return result;
    } catch (err) {
      // Replaced before the slot is free again, so no trial lands in a process being stopped.
      if (err instanceof RemoteStatusError && !err.healthy)
        this.replace(slot, running, err.message);
      throw err;
    } finally {
      slot.busy = false;
    }
  };

  /** True while at least one process can train. */
  ready(): boolean {
    return this.slots.some((slot) => slot.ready);
  }

  /** Calls `listener` with each change of {@link ready}; returns how to stop. */
  subscribe(listener: (ready: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The process ids, for operators and tests. */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.process.pid === undefined ? [] : [slot.process.pid]));
  }

  /** Stops replacing processes that end: the server is shutting down and lets its trials finish. */
  retire(): void {
    this.closed = true;
  }

  /** Stops every process. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.process.stop();
  }

  private spawn(): TrialProcess {
    return new TrialProcess(this.options.config);
  }

  /** Replaces the slot's process when it dies while idle (a crash between trials, a kill). */
  private watch(slot: Slot): void {
    const watched = slot.process;
    watched.onExit((why) => {
      this.replace(slot, watched, `its process ended (${why})`);
    });
  }

  private replace(slot: Slot, failed: TrialProcess, why: string): void {
    if (this.closed || slot.process !== failed || slot.replacing) return;
    slot.replacing = true;
    failed.stop();
    slot.ready = false;
    this.changed();
    this.options.logger.warn({ why }, 'replacing a trial process');
    const delay =
      slot.failedStarts === 0
        ? 0
        : Math.min(
            RESTART_BACKOFF_MS.max,
            RESTART_BACKOFF_MS.initial * 2 ** (slot.failedStarts - 1),
          );
    setTimeout(() => this.restart(slot), delay).unref();
  }

  private restart(slot: Slot): void {
    if (this.closed) return;
    const next = this.spawn();
    slot.process = next;
    slot.replacing = false;
    this.watch(slot);
    next.ready.then(
      () => {
        if (slot.process !== next) return;
        slot.failedStarts = 0;
        slot.ready = true;
        this.options.logger.info({ pid: next.pid }, 'trial process ready again');
        this.changed();
      },
      (err: unknown) => {
        slot.failedStarts++;
        this.options.logger.error({ err }, 'a replacement trial process failed to start');
        next.stop(); // its exit starts the next replacement, after a backoff
      },
    );
  }

  private changed(): void {
    const now = this.ready();
    if (now === this.wasReady) return;
    this.wasReady = now;
    for (const listener of this.listeners) listener(now);
  }
}
