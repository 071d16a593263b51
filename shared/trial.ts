/** The domain types of one trial on a trainer: what to train, what each epoch reports, and the result. */
import type { DatasetSpec } from './dataset-spec.ts';
import type { Genotype } from './genotype.ts';
import type { Skeleton } from './network-settings.ts';
import type { TrainingSettings } from './training-settings.ts';

/** The network around the cells; image size, channels and classes come from the dataset. */
export interface TrialNetwork {
  readonly cells: number;
  readonly filters: number;
  readonly skeleton: Skeleton;
  readonly auxHead: boolean;
  readonly stemMultiplier?: number;
}

/** Everything a trainer needs to train one candidate. */
export interface TrialRequest {
  readonly genotype: Genotype;
  readonly network: TrialNetwork;
  readonly training: TrainingSettings;
  /** The dataset to train on; its folder, if any, as the caller wrote it (the trainer resolves it). */
  readonly dataset: DatasetSpec;
}

/** Metrics of one finished epoch. Validation fields are NaN when no validation split is held out. */
export interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly learningRate: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
}

/** Measured inference latency on the trainer's device, in milliseconds (median of several runs). */
export interface Latency {
  readonly batch1Ms: number;
  readonly batchMs: number;
  readonly batchSize: number;
}

/** How a trial ended. */
export type TrialStatus = 'succeeded' | 'failed' | 'cancelled';

/** The outcome of a trial, with the network's size and where it ran. */
export interface TrialResult {
  readonly status: TrialStatus;
  /** Why it failed or was cancelled; empty when it succeeded. */
  readonly reason: string;
  readonly epochs: readonly EpochMetrics[];
  /** Accuracy on the dataset's test split after training, when it has one and the trial succeeded. */
  readonly testAccuracy: number | null;
  readonly params: number;
  readonly bnStatistics: number;
  readonly multAdds: number;
  readonly latency: Latency | null;
  readonly backend: string;
  readonly device: string;
  readonly seconds: number;
}
