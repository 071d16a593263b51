/**
 * A Train call as an Observable: each subscription starts one call, emits the trial's events and
 * completes after the result; unsubscribing before the result cancels the call (and so the trial).
 */
import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { trialEventFromWire, type StreamedTrialEvent } from '../../proto/event-codec.ts';
import type { TrainResponse__Output } from '../../proto/gen/nas/v1/TrainResponse.ts';
import { callError, TrainerCallError } from './errors.ts';

/** Starts one Train call. */
export type StartTrainCall = () => ClientReadableStream<TrainResponse__Output>;

/**
 * The events of the call `start` makes, from the trainer at `trainer`. Errors with TrainerCallError
 * (retryable for transport failures, including a stream that ends without a result) or
 * WireMessageError for a message that means nothing.
 */
export function trialStream(
  trainer: string,
  start: StartTrainCall,
): Observable<StreamedTrialEvent> {
  return new Observable<StreamedTrialEvent>((subscriber) => {
    const call = start();
    let settled = false;
    const settle = (): boolean => {
      const first = !settled;
      settled = true;
      return first;
    };
    call.on('data', (message: TrainResponse__Output) => {
      if (settled) return;
      let event: StreamedTrialEvent;
      try {
        event = trialEventFromWire(message);
      } catch (err) {
        settle();
        call.cancel();
        subscriber.error(err);
        return;
      }
      // Settled before the result is passed on: a subscriber that unsubscribes on seeing it must
      // not cancel a call that is over (that would cost the trainer an RST_STREAM and us an error).
      const last = event.type === 'result' && settle();
      subscriber.next(event);
      if (last) subscriber.complete();
    });
    call.on('error', (err: ServiceError) => {
      if (settle()) subscriber.error(callError(trainer, err));
    });
    call.on('end', () => {
      if (!settle()) return;
      const details = 'the trial stream ended without a result';
      subscriber.error(new TrainerCallError(trainer, status.UNAVAILABLE, details, true));
    });
    return () => {
      if (settle()) call.cancel();
    };
  });
}
