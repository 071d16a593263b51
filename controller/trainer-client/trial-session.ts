/**
 * Trials multiplexed over one Session stream per trainer, the controller's one trial transport: a
 * trial costs a start message and its event messages instead of a call of its own, which is what
 * lets a controller dispatch thousands of trials a second. Each subscription is one trial: it emits
 * the trial's events, completes after the result, and unsubscribing before the result cancels the
 * trial (a `cancel` message). The session is opened on the first trial and again after it breaks;
 * when it breaks, every trial on it fails with a retryable TrainerCallError.
 */
import { status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { Observable, type Subscriber } from 'rxjs';
import { trialEventFromWire, type StreamedTrialEvent } from '../../proto/event-codec.ts';
import type { SessionRequest } from '../../proto/gen/nas/v1/SessionRequest.ts';
import type { SessionResponse__Output } from '../../proto/gen/nas/v1/SessionResponse.ts';
import type { TrainRequest } from '../../proto/gen/nas/v1/TrainRequest.ts';
import { callError, TrainerCallError } from './errors.ts';

/** Opens a Session call (with the client's metadata; no deadline: it lives as long as the client). */
export type OpenSession = () => ClientDuplexStream<SessionRequest, SessionResponse__Output>;

type SessionCall = ReturnType<OpenSession>;

/** The trials of one trainer's session. */
export class TrialSession {
  private call: SessionCall | null = null;
  private nextKey = 1;
  private readonly trials = new Map<number, Subscriber<StreamedTrialEvent>>();

  constructor(
    private readonly trainer: string,
    private readonly open: OpenSession,
  ) {}

  /** One trial as an Observable; `deadlineMs` bounds it from the subscription (DEADLINE_EXCEEDED). */
  trial(request: TrainRequest, deadlineMs: number): Observable<StreamedTrialEvent> {
    return new Observable<StreamedTrialEvent>((subscriber) => {
      const key = this.nextKey++;
      const call = this.session();
      this.trials.set(key, subscriber);
      call.write({ key, start: request });
      const deadline = setTimeout(() => {
        if (this.settle(key)) {
          this.cancel(key);
          subscriber.error(
            new TrainerCallError(this.trainer, status.DEADLINE_EXCEEDED, 'trial deadline exceeded'),
          );
        }
      }, deadlineMs);
      return () => {
        clearTimeout(deadline);
        if (this.settle(key)) this.cancel(key);
      };
    });
  }

  /** Closes the session; trials still on it fail as their calls would on a closed channel. */
  close(): void {
    this.call?.cancel();
  }

  private session(): SessionCall {
    if (this.call !== null) return this.call;
    const call = this.open();
    call.on('data', (message: SessionResponse__Output) => this.route(message));
    call.on('error', (err: ServiceError) => this.broke(call, callError(this.trainer, err)));
    call.on('end', () =>
      this.broke(
        call,
        new TrainerCallError(this.trainer, status.UNAVAILABLE, 'the trial session ended', true),
      ),
    );
    this.call = call;
    return call;
  }

  private route(message: SessionResponse__Output): void {
    const subscriber = this.trials.get(message.key);
    if (subscriber === undefined) return; // a trial cancelled here before its message arrived
    if (message.body === 'error' && message.error) {
      this.settle(message.key);
      const { code, details } = message.error;
      subscriber.error(new TrainerCallError(this.trainer, code, details));
      return;
    }
    let event: StreamedTrialEvent;
    try {
      if (message.body !== 'event' || !message.event) throw new Error('empty session message');
      event = trialEventFromWire(message.event);
    } catch (err) {
      this.settle(message.key);
      this.cancel(message.key);
      subscriber.error(err);
      return;
    }
    // Settled before the result is passed on, so that unsubscribing on it cancels nothing.
    const last = event.type === 'result' && this.settle(message.key);
    subscriber.next(event);
    if (last) subscriber.complete();
  }

  /** The session broke: every trial on it fails with `err`; the next trial opens a new one. */
  private broke(call: SessionCall, err: TrainerCallError): void {
    if (this.call !== call) return;
    this.call = null;
    const trials = [...this.trials.values()];
    this.trials.clear();
    for (const subscriber of trials) subscriber.error(err);
  }

  /** Forgets a trial; true the first time (the trial was still open). */
  private settle(key: number): boolean {
    return this.trials.delete(key);
  }

  private cancel(key: number): void {
    this.call?.write({ key, cancel: {} });
  }
}
