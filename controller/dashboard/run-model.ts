/**
 * One run as the dashboard holds it in memory: every trial's row, kept up to date from the changed
 * rows the store gives (see trial-rows.ts), and the totals the overview needs, each updated per
 * changed row rather than recounted, so a change costs what changed, not the size of the run.
 */
import { TRIAL_STATES } from '../store/schema.ts';
import type { TrialState } from '../store/index.ts';
import type { DashboardCounts, DashboardTrial } from './dashboard-types.ts';
import type { ReadTrial } from './trial-rows.ts';

/** How many of the latest finished trials the finishing rate is measured over. */
export const RATE_WINDOW = 20;

/** What the trials of one trainer say about it. */
export interface TrainerTally {
  backend: string | null;
  device: string | null;
  finished: number;
  failed: number;
  /** Sum and count of its trials' mean images per second (for the mean). */
  imagesPerSecondSum: number;
  imagesPerSecondCount: number;
  lastError: string | null;
}

/** The trials of one run and their totals. */
export class RunModel {
  private readonly trials = new Map<number, DashboardTrial>();
  private readonly unfinished = new Set<number>();
  private readonly counts_ = new Map<TrialState, number>(TRIAL_STATES.map((s) => [s, 0]));
  private readonly tallies = new Map<string, TrainerTally>();
  private readonly logps = new Map<number, number>();
  /** finishedAt of the latest {@link RATE_WINDOW} finished trials, in finish order. */
  private readonly recentFinishes: number[] = [];
  private lastFinishOrder = 0;
  private bestTrial: DashboardTrial | null = null;
  private firstCreated: number | null = null;

  /**
   * `readLogp`: how the run's strategy reads a candidate's sampling log-probability from its meta,
   * for the strategies whose signal uses it (see the strategy registry); null: not kept.
   */
  constructor(private readonly readLogp: ((meta: unknown) => number | null) | null) {}

  /** Takes changed rows in; returns those that are news (a finished trial is news once). */
  apply(rows: readonly ReadTrial[]): DashboardTrial[] {
    const sorted = [...rows].sort(
      (a, b) => (a.trial.finishOrder ?? Infinity) - (b.trial.finishOrder ?? Infinity),
    );
    const news: DashboardTrial[] = [];
    for (const { trial, meta } of sorted) {
      const old = this.trials.get(trial.id);
      if (old !== undefined && old.finishOrder !== null) continue;
      this.put(old, trial);
      if (this.readLogp !== null && !this.logps.has(trial.candidateId))
        this.rememberLogp(trial, meta, this.readLogp);
      news.push(trial);
    }
    return news.sort((a, b) => a.id - b.id);
  }

  /** The highest finish order taken in: rows finished after it are still to read. */
  finishedUpTo(): number {
    return this.lastFinishOrder;
  }

  /** One trial, or undefined when no row of it was read. */
  get(id: number): DashboardTrial | undefined {
    return this.trials.get(id);
  }

  /** Every trial, by id. */
  list(): DashboardTrial[] {
    return [...this.trials.values()].sort((a, b) => a.id - b.id);
  }

  /** Trials by status. */
  counts(): DashboardCounts {
    const n = (s: TrialState): number => this.counts_.get(s) ?? 0;
    const finished = n('succeeded') + n('failed') + n('cancelled');
    return {
      queued: n('queued'),
      running: n('running'),
      succeeded: n('succeeded'),
      failed: n('failed'),
      cancelled: n('cancelled'),
      finished,
      total: finished + n('queued') + n('running'),
    };
  }

  /** The succeeded trial of highest reward (ties: the earlier finish), or null. */
  best(): DashboardTrial | null {
    return this.bestTrial;
  }

  /** When the first trial was queued. */
  firstCreatedAt(): number | null {
    return this.firstCreated;
  }

  /** finishedAt of the latest finished trials, oldest first (at most {@link RATE_WINDOW}). */
  recentFinishTimes(): readonly number[] {
    return this.recentFinishes;
  }

  /** What finished trials say about each trainer, by address. */
  trainerTallies(): ReadonlyMap<string, TrainerTally> {
    return this.tallies;
  }

  /** Running trials per trainer address. */
  runningByTrainer(): Map<string, number> {
    const running = new Map<string, number>();
    for (const id of this.unfinished) {
      const t = this.trials.get(id);
      if (t?.status === 'running' && t.trainer !== null)
        running.set(t.trainer, (running.get(t.trainer) ?? 0) + 1);
    }
    return running;
  }

  /** The log-probability candidate `candidateId` was sampled with, or null when unknown. */
  logpOf(candidateId: number): number | null {
    return this.logps.get(candidateId) ?? null;
  }

  private put(old: DashboardTrial | undefined, trial: DashboardTrial): void {
    if (old !== undefined) this.counts_.set(old.status, (this.counts_.get(old.status) ?? 1) - 1);
    this.counts_.set(trial.status, (this.counts_.get(trial.status) ?? 0) + 1);
    this.trials.set(trial.id, trial);
    if (this.firstCreated === null || trial.createdAt < this.firstCreated)
      this.firstCreated = trial.createdAt;
    if (trial.finishOrder === null) {
      this.unfinished.add(trial.id);
      return;
    }
    this.unfinished.delete(trial.id);
    this.finished(trial, trial.finishOrder);
  }

  private finished(trial: DashboardTrial, order: number): void {
    this.lastFinishOrder = Math.max(this.lastFinishOrder, order);
    if (trial.finishedAt !== null) {
      this.recentFinishes.push(trial.finishedAt);
      if (this.recentFinishes.length > RATE_WINDOW) this.recentFinishes.shift();
    }
    const reward = trial.reward;
    const best = this.bestTrial?.reward ?? null;
    if (trial.status === 'succeeded' && reward !== null && (best === null || reward > best))
      this.bestTrial = trial;
    if (trial.trainer === null) return;
    const tally = this.tallies.get(trial.trainer) ?? {
      backend: null,
      device: null,
      finished: 0,
      failed: 0,
      imagesPerSecondSum: 0,
      imagesPerSecondCount: 0,
      lastError: null,
    };
    tally.finished += 1;
    if (trial.status === 'failed') {
      tally.failed += 1;
      tally.lastError = trial.reason;
    }
    if (trial.imagesPerSecond !== null) {
      tally.imagesPerSecondSum += trial.imagesPerSecond;
      tally.imagesPerSecondCount += 1;
    }
    tally.backend = trial.backend ?? tally.backend;
    tally.device = trial.device ?? tally.device;
    this.tallies.set(trial.trainer, tally);
  }

  private rememberLogp(
    trial: DashboardTrial,
    meta: string,
    logpOf: (meta: unknown) => number | null,
  ): void {
    try {
      const logp = logpOf(JSON.parse(meta));
      if (logp !== null) this.logps.set(trial.candidateId, logp);
    } catch {
      // an unreadable meta leaves the entropy of its minibatch unknown
    }
  }
}
