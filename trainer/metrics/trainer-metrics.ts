/**
 * The Prometheus metrics of one trainer server (`cellsearch_trainer_*`), in a registry of their own:
 * trials started and finished, running trials, capacity, readiness, training images, step and
 * trial durations, gRPC errors by code, build info, and the memory of the server and of its trial
 * processes. The server's code never calls these: the runner wrapper and the gRPC interceptor
 * beside this file observe it from the edges. Rates are left to PromQL
 * (`rate(cellsearch_trainer_trained_images_total[1m])`).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics, registerBuildInfo } from '../../runtime/process-metrics.ts';
import { residentBytes } from './resident-memory.ts';

/**
 * The prefix of every trainer metric of cellsearch's own; the process metrics keep prom-client's
 * standard unprefixed names (`process_*`, `nodejs_*`).
 */
export const TRAINER_METRICS_PREFIX = 'cellsearch_trainer_';

/** How a trial ended for the metrics: a result's status, or `refused` when it ended without one. */
export type TrialOutcome = 'succeeded' | 'failed' | 'cancelled' | 'refused';

/** Every outcome: each has a `trials_finished_total` series from the start. */
const OUTCOMES = Object.keys({
  succeeded: true,
  failed: true,
  cancelled: true,
  refused: true,
} satisfies Record<TrialOutcome, true>);

/** What the gauges read at each scrape. */
export interface TrainerMetricsSources {
  /** Trials run at once. */
  readonly capacity: number;
  /** Whether the trainer can train now (health SERVING). */
  readonly ready: () => boolean;
  /** The trial processes' ids, for their memory. */
  readonly trialProcessIds: () => readonly number[];
}

/** One step: a batch of a tiny child on a fast device takes milliseconds, a large network seconds. */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** One trial: seconds for a tiny child, hours for a full-size training. */
const TRIAL_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

/** The trainer's metrics and the methods its observers record through. */
export class TrainerMetrics {
  /** Every trainer metric, and nothing else (never prom-client's global registry). */
  readonly registry = new Registry();
  private readonly started: Counter;
  private readonly finished: Counter<'status'>;
  private readonly running: Gauge;
  private readonly trainedImages: Counter;
  private readonly stepSeconds: Histogram;
  private readonly trialSeconds: Histogram<'status'>;
  private readonly grpcErrors: Counter<'method' | 'code'>;

  constructor(sources: TrainerMetricsSources) {
    const registers = [this.registry];
    const name = (suffix: string): string => TRAINER_METRICS_PREFIX + suffix;
    this.started = new Counter({
      name: name('trials_started_total'),
      help: 'Trials handed to a trial process.',
      registers,
    });
    this.finished = new Counter({
      name: name('trials_finished_total'),
      help: 'Trials ended, by status (refused: ended with an error status instead of a result).',
      labelNames: ['status'],
      registers,
    });
    for (const status of OUTCOMES) this.finished.inc({ status }, 0);
    this.running = new Gauge({
      name: name('running_trials'),
      help: 'Trials running now.',
      registers,
    });
    new Gauge({
      name: name('capacity_trials'),
      help: 'Trials the trainer runs at once (--capacity).',
      registers,
    }).set(sources.capacity);
    new Gauge({
      name: name('ready'),
      help: '1 while at least one trial process can train (health SERVING), else 0.',
      registers,
      collect() {
        this.set(sources.ready() ? 1 : 0);
      },
    });
    this.trainedImages = new Counter({
      name: name('trained_images_total'),
      help: 'Training images the trials went through (one batch per step).',
      registers,
    });
    this.stepSeconds = new Histogram({
      name: name('step_duration_seconds'),
      help: 'Duration of one training step (the first step of each epoch, which includes setup or validation, is left out).',
      buckets: STEP_BUCKETS,
      registers,
    });
    this.trialSeconds = new Histogram({
      name: name('trial_duration_seconds'),
      help: 'Duration of a trial from its start to its end, by status.',
      labelNames: ['status'],
      buckets: TRIAL_BUCKETS,
      registers,
    });
    this.grpcErrors = new Counter({
      name: name('grpc_errors_total'),
      help: 'gRPC calls, and trials of a Session stream, that ended with an error status, by method and code.',
      labelNames: ['method', 'code'],
      registers,
    });
    new Gauge({
      name: name('trial_processes_resident_memory_bytes'),
      help: 'Resident memory of the trial processes together (Linux; absent elsewhere).',
      registers,
      collect() {
        const bytes = residentBytes(sources.trialProcessIds());
        if (bytes === null) this.reset();
        else this.set(bytes);
      },
    });
    registerBuildInfo(this.registry, TRAINER_METRICS_PREFIX);
    collectProcessMetrics(this.registry);
  }

  /** A trial was handed to a trial process. */
  trialStarted(): void {
    this.started.inc();
    this.running.inc();
  }

  /** A step trained `images` images; `seconds` is its duration, when known. */
  stepTrained(images: number, seconds: number | null): void {
    this.trainedImages.inc(images);
    if (seconds !== null) this.stepSeconds.observe(seconds);
  }

  /** A trial ended after `seconds`. */
  trialEnded(outcome: TrialOutcome, seconds: number): void {
    this.running.dec();
    this.finished.inc({ status: outcome });
    this.trialSeconds.observe({ status: outcome }, seconds);
  }

  /** A call (or a Session's trial) of `method` ended with status `code` (its name, e.g. UNAVAILABLE). */
  callFailed(method: string, code: string): void {
    this.grpcErrors.inc({ method, code });
  }
}
