/**
 * The Prometheus metrics of one `nas-ctl search` (`cellsearch_controller_*`), in a registry of their
 * own: trials started, retried and finished, the queue, the trainers' slots and availability, the
 * best reward, the result-to-dispatch delay and gRPC errors by code, build info, and the process's
 * memory. The search code never calls these: its events and trainer clients are observed at the
 * edge. Rates are left to PromQL (`rate(cellsearch_controller_trials_finished_total[5m])`).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics, registerBuildInfo } from '../../runtime/process-metrics.ts';
import type { TrialStatus } from '../../shared/trial.ts';
import type { SearchOrFleetEvent } from '../search/search-events.ts';
import type { TrainerPool } from '../search/trainer-pool.ts';
import type { RunStore } from '../store/index.ts';

/**
 * The prefix of every controller metric of cellsearch's own; the process metrics keep prom-client's
 * standard unprefixed names (`process_*`, `nodejs_*`).
 */
export const CONTROLLER_METRICS_PREFIX = 'cellsearch_controller_';

/** Every status a trial finishes with: each has a `trials_finished_total` series from the start. */
const FINISHED_STATUSES = Object.keys({
  succeeded: true,
  failed: true,
  cancelled: true,
} satisfies Record<TrialStatus, true>);

/** The running search the gauges read at each scrape. */
export interface ObservedSearch {
  readonly pool: Pick<TrainerPool, 'trainerStates'>;
  readonly store: Pick<RunStore, 'counts' | 'bestTrials'>;
}

/** From a tenth of a millisecond (random search, instant trainers) to seconds (an RL update). */
const DELAY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
];

/** The controller's metrics and the methods its observers record through. */
export class ControllerMetrics {
  /** Every controller metric, and nothing else (never prom-client's global registry). */
  readonly registry = new Registry();
  private search: ObservedSearch | null = null;
  private readonly started: Counter;
  private readonly retries: Counter;
  private readonly finished: Counter<'status'>;
  private readonly delay: Histogram;
  private readonly grpcErrors: Counter<'code'>;
  private readonly fleetChanges: Counter<'change'>;

  constructor() {
    const registers = [this.registry];
    const name = (suffix: string): string => CONTROLLER_METRICS_PREFIX + suffix;
    this.started = new Counter({
      name: name('trials_started_total'),
      help: 'Trials sent to a trainer (each attempt counts).',
      registers,
    });
    this.retries = new Counter({
      name: name('trial_retries_total'),
      help: 'Trials sent back to the queue after a transient failure on a trainer.',
      registers,
    });
    this.finished = new Counter({
      name: name('trials_finished_total'),
      help: 'Trials finished, by status (rewards reused from a duplicate included).',
      labelNames: ['status'],
      registers,
    });
    for (const status of FINISHED_STATUSES) this.finished.inc({ status }, 0);
    this.delay = new Histogram({
      name: name('result_dispatch_delay_seconds'),
      help: 'Time from a trial result reaching the controller to the next trial being sent.',
      buckets: DELAY_BUCKETS,
      registers,
    });
    this.fleetChanges = new Counter({
      name: name('trainer_membership_changes_total'),
      help: 'Changes of the fleet: trainers that joined the pool, left it (no longer resolved, drained), or did not answer when found.',
      labelNames: ['change'],
      registers,
    });
    for (const change of ['joined', 'left', 'unreachable']) this.fleetChanges.inc({ change }, 0);
    this.grpcErrors = new Counter({
      name: name('grpc_errors_total'),
      help: 'Calls to trainers that failed, by gRPC status code.',
      labelNames: ['code'],
      registers,
    });
    this.addGauges(registers);
    registerBuildInfo(this.registry, CONTROLLER_METRICS_PREFIX);
    collectProcessMetrics(this.registry);
  }

  /** The search whose pool and store the gauges read from now on; null: none (its store closes). */
  attach(search: ObservedSearch | null): void {
    this.search = search;
  }

  /** Counts one search event (as reported: after its writes are committed) or fleet event. */
  observe(event: SearchOrFleetEvent): void {
    if (event.type === 'trainer-joined') this.fleetChanges.inc({ change: 'joined' });
    else if (event.type === 'trainer-left') this.fleetChanges.inc({ change: 'left' });
    else if (event.type === 'trainer-unreachable') this.fleetChanges.inc({ change: 'unreachable' });
    else if (event.type === 'trial-started') this.started.inc();
    else if (event.type === 'trial-retry') this.retries.inc();
    else if (event.type === 'trial-finished') this.finished.inc({ status: event.status });
  }

  /** A trial was sent `seconds` after the oldest result no send had followed yet. */
  dispatched(seconds: number): void {
    this.delay.observe(seconds);
  }

  /** A call to a trainer failed with status `code` (its name, e.g. UNAVAILABLE). */
  callFailed(code: string): void {
    this.grpcErrors.inc({ code });
  }

  private addGauges(registers: Registry[]): void {
    const name = (suffix: string): string => CONTROLLER_METRICS_PREFIX + suffix;
    const read = <T>(get: (search: ObservedSearch) => T): T | null =>
      this.search === null ? null : get(this.search);
    new Gauge({
      name: name('queued_trials'),
      help: 'Trials waiting for a trainer (queued, or back in the queue after a failure).',
      registers,
      collect() {
        const queued = read((s) => s.store.counts().queued);
        if (queued === null) this.reset();
        else this.set(queued);
      },
    });
    new Gauge({
      name: name('best_reward'),
      help: 'The best reward of the run so far (NaN before any trial succeeded).',
      registers,
      collect() {
        const best = read((s) => s.store.bestTrials(1)[0]?.reward ?? null);
        this.set(best ?? Number.NaN);
      },
    });
    addTrainerGauges(registers, read);
  }
}

/** The gauges of the trainers: slots, running trials, and each trainer's availability. */
function addTrainerGauges(
  registers: Registry[],
  read: <T>(get: (search: ObservedSearch) => T) => T | null,
): void {
  const name = (suffix: string): string => CONTROLLER_METRICS_PREFIX + suffix;
  const states = (): ReturnType<TrainerPool['trainerStates']> =>
    read((s) => s.pool.trainerStates()) ?? [];
  new Gauge({
    name: name('capacity_trials'),
    help: 'Trials the trainers run at once, all together.',
    registers,
    collect() {
      this.set(states().reduce((sum, t) => sum + t.capacity, 0));
    },
  });
  new Gauge({
    name: name('running_trials'),
    help: 'Trials running on trainers now.',
    registers,
    collect() {
      this.set(states().reduce((sum, t) => sum + t.running, 0));
    },
  });
  new Gauge({
    name: name('trainers'),
    help: 'Trainers by state: available (a free slot), busy (every slot taken), down (left out after a transport failure), draining (left the fleet, finishing its trials).',
    labelNames: ['state'],
    registers,
    collect() {
      const all = states();
      const draining = all.filter((t) => t.draining).length;
      const down = all.filter((t) => !t.draining && t.down).length;
      const busy = all.filter((t) => !t.draining && !t.down && t.running >= t.capacity).length;
      this.set({ state: 'available' }, all.length - draining - down - busy);
      this.set({ state: 'busy' }, busy);
      this.set({ state: 'down' }, down);
      this.set({ state: 'draining' }, draining);
    },
  });
  new Gauge({
    name: name('trainer_up'),
    help: 'Per trainer: 1 unless it is left out after a transport failure.',
    labelNames: ['trainer'],
    registers,
    collect() {
      this.reset();
      for (const t of states()) this.set({ trainer: t.address }, t.down ? 0 : 1);
    },
  });
}
