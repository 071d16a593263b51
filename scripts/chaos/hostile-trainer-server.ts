/**
 * A hostile trainer: a real nas.v1.TrainerService on 127.0.0.1:0 inside the campaign's process
 * that answers every trial at once with the next lie of {@link HOSTILE_KINDS}, and names itself
 * with {@link HOSTILE_TEXT}. It speaks protocol 1.1 (trials over a Session, and the Train shim; no
 * CheckDataset), the oldest a controller accepts.
 */
import {
  Server,
  ServerCredentials,
  status,
  type ServerDuplexStream,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { trainRequestFromWire } from '../../proto/codec.ts';
import { trainerInfoToWire, trialEventToWire } from '../../proto/event-codec.ts';
import type { SessionRequest__Output } from '../../proto/gen/nas/v1/SessionRequest.ts';
import type { SessionResponse } from '../../proto/gen/nas/v1/SessionResponse.ts';
import type { TrainerServiceHandlers } from '../../proto/gen/nas/v1/TrainerService.ts';
import type { TrainRequest__Output } from '../../proto/gen/nas/v1/TrainRequest.ts';
import type { TrainResponse } from '../../proto/gen/nas/v1/TrainResponse.ts';
import { loadNasV1 } from '../../proto/load.ts';
import {
  HOSTILE_KINDS,
  HOSTILE_TEXT,
  hostileAnswer,
  type HostileKindName,
} from './hostile-answers.ts';

/** It answers this soon: a slot that frees at once would take every trial from the honest trainer. */
const ANSWER_MS = 500;

/** A started hostile trainer. */
export interface HostileTrainer {
  readonly address: string;
  /** The kinds it answered with, in order. */
  readonly answered: readonly HostileKindName[];
  close(): void;
}

/** Starts round `round`'s hostile trainer (its answers: {@link hostileAnswer}). */
export async function startHostileTrainer(round: number): Promise<HostileTrainer> {
  const answered: HostileKindName[] = [];
  const next = (): HostileKindName => hostileAnswer(round, answered.length);
  const handlers: TrainerServiceHandlers = {
    Train: (call) => {
      const kind = next();
      answered.push(kind);
      setTimeout(() => train(call, kind), ANSWER_MS);
    },
    Session: (call) => {
      call.on('data', (message: SessionRequest__Output) => {
        const { key, start } = message;
        if (start === null || start === undefined) return; // a cancel: every answer is one shot
        const kind = next();
        answered.push(kind);
        setTimeout(() => answerInSession(call, key, start, kind), ANSWER_MS);
      });
      call.on('end', () => call.end());
    },
    GetInfo: (_call, callback) => callback(null, trainerInfoToWire(HOSTILE_INFO)),
    CheckDataset: (_call, callback) => callback(unimplemented('CheckDataset')),
  };
  const server = new Server();
  server.addService(loadNasV1().TrainerService.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, answered, close: () => server.forceShutdown() };
}

/** What it says about itself: one slot, protocol 1.1, names that try to act on a terminal. */
const HOSTILE_INFO = {
  capacity: 1,
  running: 0,
  backend: HOSTILE_TEXT,
  device: HOSTILE_TEXT,
  protocolVersion: '1.1',
  cellsearchVersion: HOSTILE_TEXT,
  maxMemoryBytes: null,
};

/** `kind`'s answer to `request`: the trial's events, or the error status it ends with. */
function answerOf(
  request: TrainRequest__Output,
  kind: HostileKindName,
): { readonly events: TrainResponse[] } | { readonly code: status; readonly details: string } {
  const answer = HOSTILE_KINDS[kind].answer(trainRequestFromWire(request));
  if (answer.kind === 'error') return { code: answer.code, details: answer.details };
  const { result } = answer;
  const started = {
    backend: HOSTILE_TEXT,
    device: HOSTILE_TEXT,
    params: result.params,
    multAdds: result.multAdds,
  };
  const events = [
    trialEventToWire({ type: 'started', ...started }),
    trialEventToWire({ type: 'result', result }),
  ];
  return { events };
}

/** Streams `kind`'s answer to a Train `call` (unless the caller has gone). */
function train(
  call: ServerWritableStream<TrainRequest__Output, TrainResponse>,
  kind: HostileKindName,
): void {
  if (call.cancelled) return;
  const answer = answerOf(call.request, kind);
  if (!('events' in answer))
    return void call.emit('error', statusError(answer.code, answer.details));
  for (const event of answer.events) call.write(event);
  call.end();
}

/** Sends `kind`'s answer to the trial `key` of a Session `call` (unless the caller has gone). */
function answerInSession(
  call: ServerDuplexStream<SessionRequest__Output, SessionResponse>,
  key: number,
  request: TrainRequest__Output,
  kind: HostileKindName,
): void {
  if (call.cancelled || call.writableEnded) return;
  const answer = answerOf(request, kind);
  if (!('events' in answer)) {
    call.write({ key, error: { code: answer.code, details: answer.details } });
    return;
  }
  for (const event of answer.events) call.write({ key, event });
}

function unimplemented(method: string): Error {
  return statusError(status.UNIMPLEMENTED, `${method} is not implemented`);
}

/** The error shape grpc-js turns into a status: a numeric `code` and `details`. */
function statusError(code: status, details: string): Error {
  return Object.assign(new Error(details), { code, details });
}
