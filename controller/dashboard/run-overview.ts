/** Where a run stands, from its in-memory model: counts, elapsed time, ETA, best trial and trainers. */
import { basename } from 'node:path';
import type { StoredRunConfig } from '../store/index.ts';
import type { CellDots, DashboardTrainer, RunOverview } from './dashboard-types.ts';
import type { RunModel } from './run-model.ts';

/** A trainer as a live search's pool sees it. */
export interface LiveTrainer {
  readonly address: string;
  readonly running: number;
  readonly capacity: number;
  /** Its last call failed and it is left out for a backoff. */
  readonly down: boolean;
  /** It left the fleet (no longer resolved): it gets no new trial and goes once its trials end. */
  readonly draining?: boolean;
}

/** What the overview is made of besides the model. */
export interface OverviewInputs {
  readonly run: number;
  readonly dir: string;
  readonly config: StoredRunConfig;
  readonly maxTrials: number | null;
  readonly epochs: number | null;
  /** Whether the run directory holds a saved model (model.json). */
  readonly model: boolean;
  /** The trainers of the search serving this page, or null for a run read from its store alone. */
  readonly live: readonly LiveTrainer[] | null;
  /** Both cells of a trial as DOT, and each on its own (for the best one). */
  readonly dotOf: (trialId: number) => string;
  readonly cellsOf: (trialId: number) => CellDots;
  readonly now: number;
}

/** The overview of the run `model` holds. */
export function runOverview(model: RunModel, inputs: OverviewInputs): RunOverview {
  const counts = model.counts();
  const live = inputs.live !== null || counts.running > 0;
  const best = model.best();
  return {
    run: inputs.run,
    dir: inputs.dir,
    label: basename(inputs.dir),
    strategy: inputs.config.strategy,
    seed: inputs.config.seed,
    space: inputs.config.space.name,
    createdAt: inputs.config.createdAt,
    maxTrials: inputs.maxTrials,
    epochs: inputs.epochs,
    settings: inputs.config.settings,
    model: inputs.model,
    counts,
    live,
    elapsedMs: elapsed(model, live, inputs.now),
    etaMs: live ? eta(model, inputs.maxTrials, inputs.now) : null,
    best:
      best === null || best.reward === null
        ? null
        : {
            trialId: best.id,
            reward: best.reward,
            hash: best.hash,
            dot: inputs.dotOf(best.id),
            cells: inputs.cellsOf(best.id),
          },
    trainers: trainers(model, inputs.live),
  };
}

/** From the first trial queued to now (live) or to the last finish. */
function elapsed(model: RunModel, live: boolean, now: number): number | null {
  const first = model.firstCreatedAt();
  if (first === null) return null;
  const last = model.recentFinishTimes().at(-1);
  const end = live ? now : (last ?? first);
  return Math.max(0, end - first);
}

/**
 * The trials left at the search's terminal view's rate (controller/cli/search-progress.ts): trials
 * finished over the time since the first was queued, from the first finish on; null without a
 * budget or a finish. The same formula on both screens gives the same ETA.
 */
function eta(model: RunModel, maxTrials: number | null, now: number): number | null {
  if (maxTrials === null) return null;
  const { finished } = model.counts();
  const left = maxTrials - finished;
  if (left <= 0) return 0;
  const first = model.firstCreatedAt();
  if (first === null || finished === 0 || now <= first) return null;
  const perTrial = (now - first) / finished;
  return left * perTrial;
}

/** The trainers a live pool lists, else those the run's trials name. */
function trainers(model: RunModel, live: readonly LiveTrainer[] | null): DashboardTrainer[] {
  const tallies = model.trainerTallies();
  const running = model.runningByTrainer();
  const addresses = live?.map((t) => t.address) ?? [
    ...new Set([...tallies.keys(), ...running.keys()]),
  ];
  return addresses.sort().map((address) => {
    const tally = tallies.get(address);
    const pool = live?.find((t) => t.address === address);
    const busy = pool?.running ?? running.get(address) ?? 0;
    const state: DashboardTrainer['state'] =
      pool?.draining === true
        ? 'draining'
        : pool?.down === true
          ? 'down'
          : busy > 0
            ? 'busy'
            : pool !== undefined
              ? 'idle'
              : 'seen';
    return {
      address,
      backend: tally?.backend ?? null,
      device: tally?.device ?? null,
      state,
      running: busy,
      capacity: pool?.capacity ?? null,
      finished: tally?.finished ?? 0,
      failed: tally?.failed ?? 0,
      imagesPerSecond:
        tally === undefined || tally.imagesPerSecondCount === 0
          ? null
          : tally.imagesPerSecondSum / tally.imagesPerSecondCount,
      lastError: tally?.lastError ?? null,
    };
  });
}
