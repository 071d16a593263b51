/**
 * The trainer server's core, without gRPC: runs trials up to the trainer's capacity, streams their
 * events, cancels them on request or at shutdown. The gRPC handlers decode, call this, and encode.
 */
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import { VERSION } from '../../runtime/version.ts';
import type { DatasetSpec } from '../../shared/dataset-spec.ts';
import type { CheckedDataset } from '../../proto/dataset-codec.ts';
import type { StreamedTrialEvent } from '../../proto/event-codec.ts';
import { PROTOCOL_VERSION, type TrainerInfo } from '../../proto/trainer-info.ts';
import type { DatasetLimits } from '../data/load-dataset.ts';
import { ALWAYS_READY, type Readiness, type TrialRunner } from '../runner/trial-runner.ts';
import { admitTrial, TRAINER_LIMIT } from './admission.ts';
import { resolveDatasetUnderRoot } from '../data/data-root.ts';
import { createDatasetChecker, type DatasetReader } from './dataset-check.ts';
import { TrainerBusyError, TrainerClosingError } from './errors.ts';

/** What the service needs. */
export interface TrialServiceOptions {
  readonly runner: TrialRunner;
  /** Whether the runner can train now (default: always). */
  readonly readiness?: Readiness;
  /** Trials run at once; one more is refused with TrainerBusyError. */
  readonly capacity: number;
  /** The backend and device that GetInfo reports. */
  readonly backend: { readonly backend: string; readonly device: string };
  /** Where relative dataset folders resolve, and the only place datasets may come from. */
  readonly dataRoot?: string;
  /** Least milliseconds between two step events of a trial (the last step is always sent). */
  readonly stepIntervalMs?: number;
  /** Trials whose estimated memory exceeds this many bytes are refused (TrialTooLargeError). */
  readonly maxMemoryBytes?: number;
  /** How refusals name that limit (default: admission.ts's TRAINER_LIMIT, the --max-memory flag). */
  readonly maxMemorySource?: string;
  /** How checkDataset reads a dataset (default: the trainer's readers). */
  readonly readDataset?: DatasetReader;
}

/** Runs trials for callers; see {@link createTrialService}. */
export interface TrialService {
  /** Capacity, load, backend and versions. */
  info(): TrainerInfo;
  /** Whether trials can run now; the health service follows it. */
  readonly readiness: Readiness;
  /**
   * Runs one trial, passing each event to `emit` (the result last) and resolving with the result.
   * Aborting `signal` cancels it between two steps. Throws, before anything is emitted, for bad input
   * (InvalidValueError, a dataset error), at capacity (TrainerBusyError) and when closed.
   */
  run(
    request: TrialRequest,
    emit: (event: StreamedTrialEvent) => void,
    signal: AbortSignal,
  ): Promise<TrialResult>;
  /**
   * Reads the dataset `spec` names as a trial here would and describes it. Throws a dataset error
   * for one it cannot read and DatasetOutsideRootError for a folder outside the data root. Aborting
   * `signal` (the caller left) rejects at once with the abort, and stops the read once no other
   * caller waits for it.
   */
  checkDataset(spec: DatasetSpec, signal?: AbortSignal): Promise<CheckedDataset>;
  /** Refuses new trials, cancels the running ones with `reason`, and resolves once all have ended. */
  close(reason: string): Promise<void>;
}

/** Default least interval between step events: a few a second is plenty for a progress bar. */
const STEP_INTERVAL_MS = 200;

/** Creates the service. */
export function createTrialService(options: TrialServiceOptions): TrialService {
  const running = new Map<AbortController, Promise<unknown>>();
  let closed = false;

  async function run(
    request: TrialRequest,
    emit: (event: StreamedTrialEvent) => void,
    signal: AbortSignal,
  ): Promise<TrialResult> {
    if (closed) throw new TrainerClosingError();
    admitTrial(request, options.maxMemoryBytes, options.maxMemorySource);
    if (running.size >= options.capacity) throw new TrainerBusyError(options.capacity);
    const controller = new AbortController();
    const trial = (async () => {
      const dataset = await resolveDatasetUnderRoot(request.dataset, options.dataRoot);
      return runOne({ ...request, dataset }, options, emit, controller.signal);
    })();
    running.set(
      controller,
      trial.catch(() => undefined),
    );
    const forward = (): void => controller.abort(signal.reason);
    if (signal.aborted) forward();
    signal.addEventListener('abort', forward, { once: true });
    try {
      return await trial;
    } finally {
      signal.removeEventListener('abort', forward);
      running.delete(controller);
    }
  }

  return {
    info: () => ({
      capacity: options.capacity,
      running: running.size,
      backend: options.backend.backend,
      device: options.backend.device,
      protocolVersion: PROTOCOL_VERSION,
      cellsearchVersion: VERSION,
      maxMemoryBytes: options.maxMemoryBytes ?? null,
    }),
    run,
    checkDataset: createDatasetChecker(options.dataRoot, options.readDataset),
    readiness: options.readiness ?? ALWAYS_READY,
    async close(reason) {
      closed = true;
      for (const controller of running.keys()) controller.abort(reason);
      await Promise.all(running.values());
    },
  };
}

/** Runs one trial with the runner, turning its hooks into events. */
async function runOne(
  request: TrialRequest,
  options: TrialServiceOptions,
  emit: (event: StreamedTrialEvent) => void,
  signal: AbortSignal,
): Promise<TrialResult> {
  const { backend, device } = options.backend;
  const interval = options.stepIntervalMs ?? STEP_INTERVAL_MS;
  let lastStep = -Infinity;
  const result = await options.runner(request, {
    signal,
    datasetLimits: datasetLimits(options),
    onPlanned: (size) => emit({ type: 'started', backend, device, ...size }),
    onStep: (step, totalSteps) => {
      const now = performance.now();
      if (step < totalSteps && now - lastStep < interval) return;
      lastStep = now;
      emit({ type: 'step', step, totalSteps });
    },
    onEpoch: (metrics) => emit({ type: 'epoch', metrics }),
  });
  emit({ type: 'result', result });
  return result;
}

/**
 * What bounds a trial's dataset read: the data root and the trial memory limit, as CheckDataset's
 * read is bounded (serve.ts), so a trial fails on a dataset exactly where a check of it fails.
 */
function datasetLimits(options: TrialServiceOptions): DatasetLimits {
  const { dataRoot, maxMemoryBytes } = options;
  const name = options.maxMemorySource ?? TRAINER_LIMIT;
  return {
    ...(dataRoot === undefined ? {} : { root: dataRoot }),
    ...(maxMemoryBytes === undefined ? {} : { memory: { bytes: maxMemoryBytes, name } }),
  };
}
