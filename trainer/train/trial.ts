/** How the trainer runs a trial here: the backend it reports and who listens to the trial's progress. */
import type { EpochMetrics } from '../../shared/trial.ts';
import type { Network } from '../network/network.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import type { DatasetLimits } from '../data/load-dataset.ts';
import type { BackendInfo } from '../tf.ts';

/** Mean training loss and accuracy of the steps of the current epoch so far. */
export interface StepMetrics {
  readonly loss: number;
  readonly accuracy: number;
}

/** What a saved model needs of the data a network was trained on. */
export interface TrainedData {
  /** The training part's per-channel statistics, which normalised every input. */
  readonly stats: ChannelStats;
  readonly classNames?: readonly string[];
}

/** Where a trial runs and who listens to it. */
export interface TrialContext {
  readonly backend: Pick<BackendInfo, 'backend' | 'device'>;
  /**
   * Aborting cancels the trial between steps, or while its dataset is read between two chunks,
   * files or images; the result then has status `cancelled`.
   */
  readonly signal?: AbortSignal;
  /** What bounds the trial's dataset read (its trainer's data root and memory limit); none when undefined. */
  readonly datasetLimits?: DatasetLimits;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
  /** After each step; `epochSoFar`, where known, is the mean loss and accuracy of this epoch's steps. */
  readonly onStep?: (step: number, totalSteps: number, epochSoFar?: StepMetrics) => void;
  /** Called once the network is planned, before training. */
  readonly onPlanned?: (size: { readonly params: number; readonly multAdds: number }) => void;
  /**
   * Called after successful training, before the network is freed (to save it), with what a saved
   * model needs of the data: the input normalisation and the class names.
   */
  readonly onTrained?: (network: Network, data: TrainedData) => Promise<void>;
  /**
   * Called when training threw (out of memory, a backend fault) rather than ending by itself: the
   * backend may be unusable afterwards, so a trial process replaces itself.
   */
  readonly onFault?: (err: unknown) => void;
}
