/**
 * The TrainerService handlers: decode the request, call the trial service, encode its events. Every
 * failure leaves through toStatus, so bad input ends one call and never the trainer. Session is the
 * trial RPC controllers use; Train is kept as a thin compatibility shim (grpcurl, controllers before
 * protocol 1.1) over the same path, runWireTrial, so both run a trial exactly alike.
 */
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { checkDatasetRequestFromWire, checkedDatasetToWire } from '../../proto/dataset-codec.ts';
import type { CheckDatasetRequest__Output } from '../../proto/gen/nas/v1/CheckDatasetRequest.ts';
import type { CheckDatasetResponse } from '../../proto/gen/nas/v1/CheckDatasetResponse.ts';
import { trainerInfoToWire } from '../../proto/event-codec.ts';
import type { TrainerServiceHandlers } from '../../proto/gen/nas/v1/TrainerService.ts';
import type { TrainRequest__Output } from '../../proto/gen/nas/v1/TrainRequest.ts';
import type { TrainResponse } from '../../proto/gen/nas/v1/TrainResponse.ts';
import type { TrialService } from './trial-service.ts';
import { serveSession } from './session-handler.ts';
import { StreamWriter } from './stream-writer.ts';
import { toStatus } from './to-status.ts';
import { runWireTrial } from './wire-trial.ts';

type TrainCall = ServerWritableStream<TrainRequest__Output, TrainResponse>;
type CheckCall = ServerUnaryCall<CheckDatasetRequest__Output, CheckDatasetResponse>;

/** Handlers of nas.v1.TrainerService over `service`. */
export function trainerHandlers(service: TrialService, logger: Logger): TrainerServiceHandlers {
  return {
    Train: (call) => void train(service, logger, call),
    Session: (call) => serveSession(service, logger, call),
    GetInfo: (_call, callback) => callback(null, trainerInfoToWire(service.info())),
    CheckDataset: (call, callback) => void checkDataset(service, logger, call, callback),
  };
}

async function checkDataset(
  service: TrialService,
  logger: Logger,
  call: CheckCall,
  callback: sendUnaryData<CheckDatasetResponse>,
): Promise<void> {
  const log = logger.child({ peer: call.getPeer(), dataset: call.request.dataset });
  // A caller that left (cancelled, or its deadline passed) stops the read: nobody waits for it.
  const left = new AbortController();
  call.on('cancelled', () => left.abort('the caller cancelled the check or its deadline passed'));
  try {
    const spec = checkDatasetRequestFromWire(call.request);
    const checked = await service.checkDataset(spec, left.signal);
    log.info({ checked }, 'dataset checked');
    callback(null, checkedDatasetToWire(checked));
  } catch (err) {
    const { code, details, internal } = toStatus(err);
    if (internal) log.error({ err }, 'dataset check failed with an internal error');
    else log.warn({ code, details }, 'dataset check refused');
    callback(statusError(code, details));
  }
}

/**
 * The Train RPC, a compatibility shim: one Train call is one trial, run by {@link runWireTrial}
 * exactly as a Session trial is; only the framing differs (the call's own stream and status).
 */
async function train(service: TrialService, logger: Logger, call: TrainCall): Promise<void> {
  const log = logger.child({ trialId: call.request.trialId, peer: call.getPeer() });
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort('the caller cancelled the trial'));
  // Held while the caller reads slowly: one step (a newer one supersedes it), the start, one per
  // epoch and the result, so never more than the trial's result holds anyway.
  const writer = new StreamWriter<TrainResponse>(call, { supersedeKey: stepKey });
  try {
    const send = (event: TrainResponse): void => void writer.write(event);
    const result = await runWireTrial(service, call.request, send, controller.signal, (request) =>
      log.info({ dataset: request.dataset, network: request.network }, 'trial requested'),
    );
    const { status: outcome, reason, seconds } = result;
    log.info(
      { status: outcome, reason, seconds, cancelledByCaller: call.cancelled },
      'trial ended',
    );
    writer.end();
  } catch (err) {
    const { code, details, internal } = toStatus(err);
    if (internal) log.error({ err }, 'trial failed with an internal error');
    else log.warn({ code, details }, 'trial refused');
    call.emit('error', statusError(code, details));
  }
}

/** Step progress supersedes older step progress; every other message is kept. */
function stepKey(message: TrainResponse): 'step' | undefined {
  return message.step != null ? 'step' : undefined;
}

/** The error shape grpc-js turns into a status: a numeric `code` and `details`. */
function statusError(code: status, details: string): Error {
  return Object.assign(new Error(details), { code, details });
}
