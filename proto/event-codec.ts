/**
 * Wire <-> domain for what a trainer sends back: trial events (TrainResponse), results, epoch metrics
 * and trainer info; one function each way per message. A trainer's messages are trusted to be
 * well-typed; decoding only rejects what cannot mean anything (an empty event, an unset status).
 */
import type { TrialEvent } from '../shared/trial-events.ts';
import type { EpochMetrics, Latency, TrialResult, TrialStatus } from '../shared/trial.ts';
import { WireMessageError } from './errors.ts';
import type {
  EpochMetrics as WireEpoch,
  EpochMetrics__Output as WireEpochOut,
} from './gen/nas/v1/EpochMetrics.ts';
import type {
  GetInfoResponse as WireInfo,
  GetInfoResponse__Output as WireInfoOut,
} from './gen/nas/v1/GetInfoResponse.ts';
import type {
  Latency as WireLatency,
  Latency__Output as WireLatencyOut,
} from './gen/nas/v1/Latency.ts';
import type {
  TrainResponse as WireEvent,
  TrainResponse__Output as WireEventOut,
} from './gen/nas/v1/TrainResponse.ts';
import type {
  TrialResult as WireResult,
  TrialResult__Output as WireResultOut,
} from './gen/nas/v1/TrialResult.ts';
import type { TrialStatus__Output as WireStatus } from './gen/nas/v1/TrialStatus.ts';
import type { TrainerInfo } from './trainer-info.ts';

/** The trial events a Train stream carries: every kind but `saved` (a trainer server saves nothing). */
export type StreamedTrialEvent = Exclude<TrialEvent, { readonly type: 'saved' }>;

const STATUS_TO_WIRE = {
  succeeded: 'TRIAL_STATUS_SUCCEEDED',
  failed: 'TRIAL_STATUS_FAILED',
  cancelled: 'TRIAL_STATUS_CANCELLED',
} as const satisfies Record<TrialStatus, WireStatus>;

const STATUS_FROM_WIRE = new Map<unknown, TrialStatus>(
  (['succeeded', 'failed', 'cancelled'] as const).map((s) => [STATUS_TO_WIRE[s], s]),
);

/** Encodes one trial event as a TrainResponse. */
export function trialEventToWire(event: StreamedTrialEvent): WireEvent {
  switch (event.type) {
    case 'started': {
      const { backend, device, params, multAdds } = event;
      return { started: { backend, device, params, multAdds } };
    }
    case 'step':
      return { step: { step: event.step, totalSteps: event.totalSteps } };
    case 'epoch':
      return { epoch: epochMetricsToWire(event.metrics) };
    case 'result':
      return { result: trialResultToWire(event.result) };
  }
}

/** Decodes a TrainResponse; throws WireMessageError when it carries no event. */
export function trialEventFromWire(wire: WireEventOut): StreamedTrialEvent {
  const { started, step, epoch, result } = wire;
  switch (wire.event) {
    case 'started':
      if (started) return { type: 'started', ...started };
      break;
    case 'step':
      if (step) return { type: 'step', step: step.step, totalSteps: step.totalSteps };
      break;
    case 'epoch':
      if (epoch) return { type: 'epoch', metrics: epochMetricsFromWire(epoch) };
      break;
    case 'result':
      if (result) return { type: 'result', result: trialResultFromWire(result) };
      break;
    case undefined:
      break;
  }
  throw new WireMessageError('the trainer sent a TrainResponse without an event');
}

/** Encodes epoch metrics (NaN validation metrics travel as NaN doubles). */
export function epochMetricsToWire(metrics: EpochMetrics): WireEpoch {
  return { ...metrics };
}

/** Decodes epoch metrics. */
export function epochMetricsFromWire(wire: WireEpochOut): EpochMetrics {
  const { epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy } = wire;
  const { learningRate, seconds, imagesPerSecond } = wire;
  return {
    epoch,
    trainLoss,
    trainAccuracy,
    validationLoss,
    validationAccuracy,
    learningRate,
    seconds,
    imagesPerSecond,
  };
}

/** Encodes latency. */
export function latencyToWire(latency: Latency): WireLatency {
  return { ...latency };
}

/** Decodes latency. */
export function latencyFromWire(wire: WireLatencyOut): Latency {
  return { batch1Ms: wire.batch1Ms, batchMs: wire.batchMs, batchSize: wire.batchSize };
}

/** Encodes a trial result; a null test accuracy or latency is left absent. */
export function trialResultToWire(result: TrialResult): WireResult {
  const { reason, params, bnStatistics, multAdds, backend, device, seconds } = result;
  return {
    status: STATUS_TO_WIRE[result.status],
    reason,
    epochs: result.epochs.map(epochMetricsToWire),
    ...(result.testAccuracy === null ? {} : { testAccuracy: result.testAccuracy }),
    params,
    bnStatistics,
    multAdds,
    latency: result.latency === null ? null : latencyToWire(result.latency),
    backend,
    device,
    seconds,
  };
}

/** Decodes a trial result; throws WireMessageError for an unset or unknown status. */
export function trialResultFromWire(wire: WireResultOut): TrialResult {
  const status = STATUS_FROM_WIRE.get(wire.status);
  if (status === undefined)
    throw new WireMessageError(`the trainer sent a result with status ${wire.status}`);
  const { reason, params, bnStatistics, multAdds, backend, device, seconds } = wire;
  return {
    status,
    reason,
    epochs: wire.epochs.map(epochMetricsFromWire),
    testAccuracy: wire.testAccuracy ?? null,
    params,
    bnStatistics,
    multAdds,
    latency: wire.latency === null ? null : latencyFromWire(wire.latency),
    backend,
    device,
    seconds,
  };
}

/** Encodes trainer info as a GetInfoResponse. */
export function trainerInfoToWire(info: TrainerInfo): WireInfo {
  const { maxMemoryBytes, ...rest } = info;
  return { ...rest, maxMemoryBytes: maxMemoryBytes ?? 0 };
}

/** Decodes a GetInfoResponse. */
export function trainerInfoFromWire(wire: WireInfoOut): TrainerInfo {
  const { capacity, running, backend, device, protocolVersion, cellsearchVersion } = wire;
  const maxMemoryBytes = wire.maxMemoryBytes > 0 ? wire.maxMemoryBytes : null;
  return { capacity, running, backend, device, protocolVersion, cellsearchVersion, maxMemoryBytes };
}
