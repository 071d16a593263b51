/**
 * The fleet of a search: trainers found by resolving `--trainers` again and again, each asked for
 * its capacity (GetInfo) before it joins the pool. One that does not answer is reported once, in
 * plain words, and asked again with a growing backoff until it does; the search runs with the
 * others meanwhile. An address that is no longer resolved leaves: the pool drains it (its running
 * trials finish there, or fail over to another trainer and count once). A round whose names give
 * no address keeps the trainers they gave before: a DNS hiccup is a warning, never an empty fleet.
 */
import { Subject, type Observable } from 'rxjs';
import { CellsearchError } from '../../shared/errors.ts';
export type { FleetEvent } from '../search/search-events.ts';
import type { TrainerInfo } from '../../proto/trainer-info.ts';
import type { TrainerClient } from '../trainer-client/index.ts';
import type { FleetEvent } from '../search/search-events.ts';
import type { TrainerPool } from '../search/trainer-pool.ts';
import { resolveTargets, type FoundAddress, type ResolveTargets } from './resolve-targets.ts';
import { describeTrainerFailure } from './trainer-failure.ts';
import { formatTarget, type TrainerTarget } from './trainer-target.ts';

/** What a fleet needs. */
export interface FleetOptions {
  readonly targets: readonly TrainerTarget[];
  /** The pool members join; the fleet never closes it. */
  readonly pool: TrainerPool;
  /**
   * A client for an address found under `name` (the name its TLS certificate is checked against,
   * unless the caller overrides it); token, TLS and metrics wrapping are the caller's.
   */
  readonly connect: (address: string, name: string) => TrainerClient;
  /** Resolve the targets again this often (ms). */
  readonly intervalMs: number;
  readonly resolve?: ResolveTargets;
}

/** The first ask of an unreachable trainer comes again after this long (ms), doubling. */
export const PROBE_BACKOFF_MS = 1_000;
/** The longest wait between two asks of an unreachable trainer (ms). */
export const PROBE_MAX_BACKOFF_MS = 30_000;
/** After the first trainer joined, the others resolved at the start get this long (ms) to join too. */
const START_GRACE_MS = 2_000;

/** No trainer answered within `--trainer-wait`. */
export class NoTrainerError extends CellsearchError {
  constructor(message: string) {
    super('NO_TRAINER', message);
  }
}

/** An address found and not (yet) in the pool: asked until it answers. */
interface Candidate {
  readonly client: TrainerClient;
  failures: number;
  lastReason: string | null;
  timer: NodeJS.Timeout | null;
  /** The first GetInfo has settled (answered or failed). */
  settled: boolean;
}

/** The first trainer that joined: the one the dataset pre-flight asks. */
export interface FirstTrainer {
  readonly client: TrainerClient;
  readonly info: TrainerInfo;
}

/** Discovery and membership of one search's trainers. */
export class Fleet {
  private readonly subject = new Subject<FleetEvent>();
  /** Every event so far and from now on. */
  readonly events$: Observable<FleetEvent> = this.subject.asObservable();
  private readonly candidates = new Map<string, Candidate>();
  private readonly members = new Set<string>();
  /** Targets whose last round gave nothing (their earlier addresses are kept meanwhile). */
  private readonly failing = new Set<string>();
  /** The addresses each target gave when it last gave any. */
  private readonly lastGood = new Map<string, readonly FoundAddress[]>();
  private readonly joinWaiters = new Set<(first: FirstTrainer) => void>();
  private first: FirstTrainer | null = null;
  private roundTimer: NodeJS.Timeout | null = null;
  private resolving: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastProblems: readonly string[] = [];
  private readonly unwatch: () => void;

  constructor(private readonly o: FleetOptions) {
    this.unwatch = o.pool.onDown(() => this.refresh());
  }

  /** Resolves the targets now and from then on every `intervalMs`. */
  start(): Promise<void> {
    return this.round();
  }

  /**
   * The first trainer to join, once the others found at the start answered or had
   * {@link START_GRACE_MS} more; rejects with {@link NoTrainerError} after `waitMs` without one,
   * naming each address and target with why, or with `abort`'s reason.
   */
  async ready(waitMs: number, abort?: AbortSignal): Promise<FirstTrainer> {
    const first = await new Promise<FirstTrainer>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new NoTrainerError(this.noTrainerMessage(waitMs)));
      }, waitMs);
      const onAbort = (): void => {
        done();
        reject(new CellsearchError('CANCELLED', 'stopped while waiting for a trainer'));
      };
      const joined = (f: FirstTrainer): void => {
        done();
        resolve(f);
      };
      const done = (): void => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', onAbort);
        this.joinWaiters.delete(joined);
      };
      if (this.first !== null) return joined(this.first);
      if (abort?.aborted === true) return onAbort();
      abort?.addEventListener('abort', onAbort, { once: true });
      this.joinWaiters.add(joined);
    });
    const until = Date.now() + START_GRACE_MS;
    while (Date.now() < until && [...this.candidates.values()].some((c) => !c.settled))
      await new Promise((r) => setTimeout(r, 50));
    return first;
  }

  /** Resolves again soon (a trainer's connection was lost: it may have moved). */
  refresh(): void {
    if (this.stopped) return;
    if (this.resolving !== null) this.again = true;
    else void this.round();
  }

  /** Stops resolving and asking; closes the connections of trainers that never joined. */
  stop(): void {
    this.stopped = true;
    this.unwatch();
    if (this.roundTimer !== null) clearTimeout(this.roundTimer);
    for (const [address, c] of this.candidates) this.drop(address, c);
    this.subject.complete();
  }

  private round(): Promise<void> {
    if (this.roundTimer !== null) clearTimeout(this.roundTimer);
    const run = async (): Promise<void> => {
      const resolve = this.o.resolve ?? resolveTargets;
      const found = await Promise.all(this.o.targets.map((t) => resolve([t])));
      if (this.stopped) return;
      this.apply(
        found.map((r) => r.addresses),
        found.flatMap((r) => r.problems),
      );
    };
    this.resolving = run()
      .catch((err: unknown) =>
        this.emit({
          type: 'discovery-warning',
          message: `resolving trainers failed: ${String(err)}`,
        }),
      )
      .finally(() => {
        this.resolving = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          void this.round();
          return;
        }
        this.roundTimer = setTimeout(() => void this.round(), this.o.intervalMs);
        this.roundTimer.unref();
      });
    return this.resolving;
  }

  /** One round's answer: per target its addresses; joins the new, drains the vanished. */
  private apply(
    perTarget: readonly (readonly FoundAddress[])[],
    problems: readonly string[],
  ): void {
    this.lastProblems = problems;
    const wanted = new Map<string, FoundAddress>();
    this.o.targets.forEach((target, i) => {
      const key = formatTarget(target);
      const addresses = perTarget[i] ?? [];
      if (addresses.length > 0) {
        if (this.failing.delete(key) && this.lastGood.has(key))
          this.emit({ type: 'discovery-warning', message: `${key} resolves again` });
        this.lastGood.set(key, addresses);
      } else if (!this.failing.has(key)) {
        this.failing.add(key);
        const kept = this.lastGood.get(key)?.length ?? 0;
        const why = problems.find((p) => p.startsWith(`${key}:`)) ?? `${key}: no address`;
        this.emit({
          type: 'discovery-warning',
          message:
            kept > 0
              ? `${why}; keeping the ${kept} trainer address(es) it gave before, asking again every ${this.o.intervalMs / 1000} s`
              : `${why}; asking again every ${this.o.intervalMs / 1000} s`,
        });
      }
      for (const a of addresses.length > 0 ? addresses : (this.lastGood.get(key) ?? []))
        if (!wanted.has(a.address)) wanted.set(a.address, a);
    });
    for (const [address, { name }] of wanted)
      if (!this.members.has(address) && !this.candidates.has(address)) this.found(address, name);
    for (const [address, c] of this.candidates) if (!wanted.has(address)) this.drop(address, c);
    for (const address of [...this.members]) {
      if (wanted.has(address)) continue;
      this.members.delete(address);
      const running = this.o.pool.remove(address);
      if (running !== null) this.emit({ type: 'trainer-left', trainer: address, running });
    }
  }

  private found(address: string, name: string): void {
    const candidate: Candidate = {
      client: this.o.connect(address, name),
      failures: 0,
      lastReason: null,
      timer: null,
      settled: false,
    };
    this.candidates.set(address, candidate);
    this.probe(address, candidate);
  }

  private probe(address: string, c: Candidate): void {
    c.timer = null;
    c.client.info({ failFast: true }).then(
      (info) => {
        c.settled = true;
        if (this.stopped || this.candidates.get(address) !== c) return;
        this.candidates.delete(address);
        this.members.add(address);
        const { capacity, maxMemoryBytes } = info;
        this.o.pool.add({ client: c.client, capacity, maxMemoryBytes });
        this.emit({ type: 'trainer-joined', trainer: address, capacity });
        if (this.first === null) {
          this.first = { client: c.client, info };
          for (const wake of [...this.joinWaiters]) wake(this.first);
        }
      },
      (err: unknown) => {
        c.settled = true;
        if (this.stopped || this.candidates.get(address) !== c) return;
        const reason = describeTrainerFailure(err);
        if (reason !== c.lastReason)
          this.emit({ type: 'trainer-unreachable', trainer: address, reason });
        c.lastReason = reason;
        const wait = Math.min(PROBE_MAX_BACKOFF_MS, PROBE_BACKOFF_MS * 2 ** c.failures);
        c.failures++;
        c.timer = setTimeout(() => this.probe(address, c), wait);
        c.timer.unref();
      },
    );
  }

  private drop(address: string, c: Candidate): void {
    if (c.timer !== null) clearTimeout(c.timer);
    this.candidates.delete(address);
    c.client.close();
  }

  private emit(event: FleetEvent): void {
    if (!this.stopped) this.subject.next(event);
  }

  private noTrainerMessage(waitMs: number): string {
    const lines = [
      ...[...this.candidates].map(
        ([address, c]) => `${address}: ${c.lastReason ?? 'no answer yet'}`,
      ),
      ...this.lastProblems,
    ];
    const targets = this.o.targets.map(formatTarget).join(', ');
    return (
      `no trainer answered within ${waitMs / 1000} s (--trainer-wait) of ${targets}` +
      (lines.length === 0 ? '' : `:\n  - ${lines.join('\n  - ')}`)
    );
  }
}
