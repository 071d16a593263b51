/**
 * The messages between a trainer server and its trial processes (over Node's IPC channel, with
 * structured-clone serialization). A trial process runs one trial at a time: the server sends `run`
 * and maybe `cancel`; the process answers with progress, then exactly one `result` or `refused`.
 *
 * Why a protocol inside the trainer: each trial runs in a process of its own so that one that runs
 * out of memory, corrupts its backend's heap or crashes never takes the server (or the next trial)
 * with it, and the server's event loop stays free for gRPC. This is a process boundary within one
 * nas-trainer, not a controller transport: controllers speak gRPC (Session) to the server only.
 * Like any boundary, each side checks what arrives (runner-message-check.ts) before it acts on it.
 */
import type { EpochMetrics, TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { DatasetLimits } from '../data/load-dataset.ts';
import type { BackendInfo, BackendChoice } from '../tf.ts';

/** How the server starts a trial process (passed once, as the `configure` message). */
export interface RunnerConfig {
  readonly backend: BackendChoice;
  /** Intra-op threads of a native backend; undefined: every core. */
  readonly threads?: number;
  readonly logLevel: string;
}

/** What the server sends. */
export type ToRunner =
  | { readonly type: 'configure'; readonly config: RunnerConfig }
  /** `datasetLimits`: the trainer's data root and memory limit, which bound the dataset's read. */
  | {
      readonly type: 'run';
      readonly request: TrialRequest;
      readonly datasetLimits?: DatasetLimits;
    }
  | { readonly type: 'cancel'; readonly reason: string };

/** A failure carried across the process boundary: the error's class name, code and message. */
export interface RemoteFailure {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

/** The gRPC status a refused trial ends with, worked out in the trial process by `trialStatus`. */
export interface RefusedStatus {
  readonly code: number;
  readonly details: string;
}

/** What a trial process sends. */
export type FromRunner =
  | { readonly type: 'ready'; readonly backend: BackendInfo }
  | { readonly type: 'start-failed'; readonly failure: RemoteFailure }
  | { readonly type: 'planned'; readonly params: number; readonly multAdds: number }
  | { readonly type: 'step'; readonly step: number; readonly totalSteps: number }
  | { readonly type: 'epoch'; readonly metrics: EpochMetrics }
  /** `healthy` is false when the trial failed in a way that may have left the process unusable. */
  | { readonly type: 'result'; readonly result: TrialResult; readonly healthy: boolean }
  | { readonly type: 'refused'; readonly status: RefusedStatus; readonly healthy: boolean };
