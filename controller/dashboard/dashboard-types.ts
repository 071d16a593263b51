/**
 * What the dashboard's JSON endpoints and its event stream send: one run's overview, its trials as
 * table rows, one trial in detail, and the strategy's learning signal (each strategy's signal type
 * is its entry's in the strategy registry; `kind` says which). Times are milliseconds since the Unix
 * epoch; a value the run does not have (yet) is null.
 */
import type { TrialState } from '../store/index.ts';

/** One trial as a row of the trial table and a point of the charts. */
export interface DashboardTrial {
  readonly id: number;
  readonly candidateId: number;
  readonly status: TrialState;
  readonly reward: number | null;
  readonly params: number | null;
  readonly multAdds: number | null;
  /** Measured latency at batch size 1, in milliseconds. */
  readonly latencyMs: number | null;
  /** Training time the trainer reported. */
  readonly seconds: number | null;
  readonly trainer: string | null;
  readonly backend: string | null;
  readonly device: string | null;
  readonly hash: string;
  readonly attempts: number;
  readonly reason: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** 1 for the first trial to finish; null while unfinished. */
  readonly finishOrder: number | null;
  /** The last epoch it finished (a running trial's progress); null before the first. */
  readonly epoch: number | null;
  /** Validation accuracy after that epoch; null before the first or without a split. */
  readonly validationAccuracy: number | null;
  /** Mean training throughput over its epochs (images per second); null before the first. */
  readonly imagesPerSecond: number | null;
}

/** A trainer as the dashboard shows it. */
export interface DashboardTrainer {
  readonly address: string;
  readonly backend: string | null;
  readonly device: string | null;
  /**
   * `busy`: runs a trial; `idle`: reachable, no trial; `down`: its last call failed; `draining`: it
   * left the fleet and finishes its trials (only a live search knows these); `seen`: named by the
   * run's trials, state unknown (a run read from its store alone).
   */
  readonly state: 'busy' | 'idle' | 'down' | 'draining' | 'seen';
  readonly running: number;
  /** Its slots, as the live search's pool knows them; null for a run read from its store alone. */
  readonly capacity: number | null;
  /** Trials that finished on it. */
  readonly finished: number;
  /** Of those, the failed ones. */
  readonly failed: number;
  /** Mean training throughput of its trials (images per second); null before an epoch finished. */
  readonly imagesPerSecond: number | null;
  /** Why its latest failed trial failed; null when none failed. */
  readonly lastError: string | null;
}

/** Trials by status, with the total and the finished ones. */
export interface DashboardCounts extends Readonly<Record<TrialState, number>> {
  readonly total: number;
  readonly finished: number;
}

/** Where one run stands. */
export interface RunOverview {
  /** The run's place in the dashboard's list (the `:run` of the endpoints). */
  readonly run: number;
  readonly dir: string;
  /** A short name for legends: the run directory's base name. */
  readonly label: string;
  readonly strategy: string;
  readonly seed: number;
  readonly space: string;
  readonly createdAt: number;
  /** The trial budget (null: unlimited or unreadable settings). */
  readonly maxTrials: number | null;
  /** The epochs each trial trains (null: unreadable settings). */
  readonly epochs: number | null;
  /** The run's stored search settings, as written (dataset, network, training, strategy, ...). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The downloads the run offers beside its CSV: a model saved in the run directory. */
  readonly model: boolean;
  readonly counts: DashboardCounts;
  /** A search is running on the run (its own process serves the page, or a trial is running). */
  readonly live: boolean;
  readonly elapsedMs: number | null;
  /**
   * Expected time to the trial budget at the rate the search's terminal view uses (trials finished
   * over the time since the first was queued); null when unknown or nothing is running.
   */
  readonly etaMs: number | null;
  readonly best: {
    readonly trialId: number;
    readonly reward: number;
    readonly hash: string;
    /** Both cells as Graphviz DOT. */
    readonly dot: string;
    readonly cells: CellDots;
  } | null;
  readonly trainers: readonly DashboardTrainer[];
}

/** One epoch of a trial (NaN metrics travel as null). */
export interface DashboardEpoch {
  readonly epoch: number;
  readonly trainLoss: number | null;
  readonly trainAccuracy: number | null;
  readonly validationLoss: number | null;
  readonly validationAccuracy: number | null;
}

/** One trial in detail: its row, epochs, genotype and both cells as DOT. */
export interface TrialDetail {
  readonly trial: DashboardTrial;
  readonly epochs: readonly DashboardEpoch[];
  readonly genotype: unknown;
  readonly dot: string;
  /** Each cell as a Graphviz digraph of its own, normal first. */
  readonly cells: CellDots;
}

/** Each cell of a genotype as a DOT digraph of its own, in the order the page shows them. */
export interface CellDots {
  readonly normal: string;
  readonly reduction: string;
}

export type {
  NoSignal,
  PopulationPoint,
  RlBatchPoint,
  StrategySignal,
} from '../strategies/strategy.ts';

/** What the event stream sends when a run changed: its overview and the trials that changed. */
export interface RunChange {
  readonly run: number;
  readonly overview: RunOverview;
  readonly trials: readonly DashboardTrial[];
  /** The journal grew: the strategy signal is worth fetching again. */
  readonly signalChanged: boolean;
}
