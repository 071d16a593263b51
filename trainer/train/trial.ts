/** How the trainer runs a trial here: the backend it reports and who listens to the trial's progress. */
import type { EpochMetrics } from '../../shared/trial.ts';
import type { Network } from '../build/network.ts';
import type { BackendInfo } from '../tf.ts';

/** Where a trial runs and who listens to it. */
export interface TrialContext {
  readonly backend: Pick<BackendInfo, 'backend' | 'device'>;
  /** Aborting cancels the trial between steps; the result then has status `cancelled`. */
  readonly signal?: AbortSignal;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
  readonly onStep?: (step: number, totalSteps: number) => void;
  /** Called once the network is planned, before training. */
  readonly onPlanned?: (size: { readonly params: number; readonly multAdds: number }) => void;
  /** Called after successful training, before the network is freed (to save it). */
  readonly onTrained?: (network: Network) => Promise<void>;
  /**
   * Called when training threw (out of memory, a backend fault) rather than ending by itself: the
   * backend may be unusable afterwards, so a trial process replaces itself.
   */
  readonly onFault?: (err: unknown) => void;
}
