/**
 * One trial from its wire request to its wire events: the one path both trial RPCs take, Session
 * (the controller's transport) and Train (a thin shim for grpcurl and older controllers). Decodes
 * the request, runs it on the trial service, encodes each event; a failure is thrown for the
 * handler to turn into a status with toStatus.
 */
import { trainRequestFromWire } from '../../proto/codec.ts';
import { trialEventToWire } from '../../proto/event-codec.ts';
import type { TrainRequest__Output } from '../../proto/gen/nas/v1/TrainRequest.ts';
import type { TrainResponse } from '../../proto/gen/nas/v1/TrainResponse.ts';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { TrialService } from './trial-service.ts';

/**
 * Runs the trial `wire` asks for on `service`, passing each encoded event to `send` (the result
 * last), and resolves with the result. `decoded` sees the request once it parsed (for the log).
 */
export async function runWireTrial(
  service: TrialService,
  wire: TrainRequest__Output,
  send: (event: TrainResponse) => void,
  signal: AbortSignal,
  decoded?: (request: TrialRequest) => void,
): Promise<TrialResult> {
  const request = trainRequestFromWire(wire);
  decoded?.(request);
  return service.run(request, (event) => send(trialEventToWire(event)), signal);
}
