/**
 * The Session handler, the controller's one trial transport: many trials over one bidirectional
 * stream. Each `start` runs a trial by runWireTrial (the path the Train shim takes too), its events
 * go back tagged with the caller's key, and a failure ends just that trial with a TrialError
 * carrying its status. A `cancel`, or the session ending, cancels trials.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { SessionRequest__Output } from '../../proto/gen/nas/v1/SessionRequest.ts';
import type { SessionResponse } from '../../proto/gen/nas/v1/SessionResponse.ts';
import type { TrainRequest__Output } from '../../proto/gen/nas/v1/TrainRequest.ts';
import { StreamWriter } from './stream-writer.ts';
import { toStatus } from './to-status.ts';
import type { TrialService } from './trial-service.ts';
import { runWireTrial } from './wire-trial.ts';

type SessionCall = ServerDuplexStream<SessionRequest__Output, SessionResponse>;

/** Serves one session until the caller closes it (or it breaks). */
export function serveSession(service: TrialService, logger: Logger, call: SessionCall): void {
  const log = logger.child({ peer: call.getPeer(), session: true });
  const running = new Map<number, AbortController>();
  let open = true;
  // While the caller reads slowly the queue holds, per running trial (at most the service's
  // capacity), one step (a newer one supersedes it), the start, its epochs and result. Requests are
  // still read, so a `cancel` takes effect at once.
  const writer = new StreamWriter<SessionResponse>(call, { supersedeKey: stepKey });
  const send = (message: SessionResponse): void => {
    if (open) void writer.write(message);
  };
  const closeAll = (reason: string): void => {
    open = false;
    for (const controller of running.values()) controller.abort(reason);
  };
  call.on('data', (message: SessionRequest__Output) => {
    const key = message.key;
    if (message.action === 'start' && message.start) {
      if (running.has(key)) {
        send({ key, error: { code: 3, details: `trial key ${key} is already running` } });
        return;
      }
      const controller = new AbortController();
      running.set(key, controller);
      void runTrial(service, log, key, message.start, controller.signal, send).finally(() =>
        running.delete(key),
      );
    } else if (message.action === 'cancel') {
      running.get(key)?.abort('the caller cancelled the trial');
    }
  });
  call.on('cancelled', () => closeAll('the caller closed the session'));
  call.on('error', () => closeAll('the session broke'));
  call.on('end', () => {
    closeAll('the caller closed the session');
    writer.end();
  });
}

/** Step progress of a trial supersedes its older step progress; every other message is kept. */
function stepKey(message: SessionResponse): SessionResponse['key'] {
  return message.event?.step != null ? message.key : undefined;
}

async function runTrial(
  service: TrialService,
  log: Logger,
  key: number,
  wire: TrainRequest__Output,
  signal: AbortSignal,
  send: (message: SessionResponse) => void,
): Promise<void> {
  try {
    const result = await runWireTrial(service, wire, (event) => send({ key, event }), signal);
    log.debug({ key, trialId: wire.trialId, status: result.status }, 'session trial ended');
  } catch (err) {
    const { code, details, internal } = toStatus(err);
    if (internal) log.error({ err, key }, 'session trial failed with an internal error');
    else log.warn({ code, details, key }, 'session trial refused');
    send({ key, error: { code, details } });
  }
}
