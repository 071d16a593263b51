/**
 * Raw bytes to a real trainer server: calls made with an identity serializer, so a test sends
 * exactly the request bytes it chose (malformed ones included) and reads the status it gets back.
 */
import { Client, credentials, Metadata, status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { loadNasV1 } from '../../proto/load.ts';
import { startTrainerServer, type TrainerServer } from '../../trainer/server/trainer-server.ts';
import { createTrialService } from '../../trainer/server/trial-service.ts';
import { fakeRunner } from '../integration/grpc-fake-runner.ts';

/** How a raw call ended: its status, or `started` once a trial sent its first event. */
export interface RawOutcome {
  readonly code: status | 'started';
  readonly details: string;
}

/** A trainer server on 127.0.0.1:0 with a fake runner, and a raw client to it. */
export interface RawTrainer {
  readonly server: TrainerServer;
  readonly client: Client;
  close(): Promise<void>;
}

const same = (bytes: Buffer): Buffer => bytes;
const { Session } = loadNasV1().TrainerService.service;

/** Starts a fake trainer (capacity 4, steps of 1 ms) and a client that sends raw bytes to it. */
export async function startRawTrainer(): Promise<RawTrainer> {
  const service = createTrialService({
    runner: fakeRunner(1),
    capacity: 4,
    backend: { backend: 'fake', device: 'a test double' },
    stepIntervalMs: 0,
  });
  const logger = pino({ level: 'silent' });
  const server = await startTrainerServer({
    host: '127.0.0.1',
    port: 0,
    service,
    logger,
    graceMs: 500,
  });
  const client = new Client(server.address, credentials.createInsecure());
  return {
    server,
    client,
    close: async () => {
      client.close();
      await server.shutdown('test over');
    },
  };
}

const options = (): { deadline: number } => ({ deadline: Date.now() + 5_000 });

/** Sends `bytes` as a TrainRequest; cancels the trial as soon as it sends an event. */
export function rawTrain(client: Client, bytes: Buffer): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const path = '/nas.v1.TrainerService/Train';
    const call = client.makeServerStreamRequest(path, same, same, bytes, new Metadata(), options());
    call.on('data', () => {
      resolve({ code: 'started', details: '' });
      call.cancel();
    });
    call.on('error', () => undefined); // The status below says it all.
    call.on('status', ({ code, details }) => resolve({ code, details }));
  });
}

/** Sends `bytes` as a GetInfoRequest. */
export function rawGetInfo(client: Client, bytes: Buffer): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const path = '/nas.v1.TrainerService/GetInfo';
    client.makeUnaryRequest(path, same, same, bytes, new Metadata(), options(), (err) =>
      resolve(err ? { code: err.code, details: err.details } : { code: status.OK, details: '' }),
    );
  });
}

/**
 * Sends `bytes` as one SessionRequest: the outcome is the first response (a trial's error status,
 * or `started` for an event) or, where none comes, the session's own status once the caller closes it.
 */
export function rawSession(client: Client, bytes: Buffer): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const path = '/nas.v1.TrainerService/Session';
    const call = client.makeBidiStreamRequest(path, same, same, new Metadata(), options());
    call.on('data', (message: Buffer) => {
      const { error } = Session.responseDeserialize(message);
      resolve(
        error ? { code: error.code, details: error.details } : { code: 'started', details: '' },
      );
      call.end();
    });
    call.on('error', () => undefined);
    call.on('status', ({ code, details }) => resolve({ code, details }));
    call.write(bytes);
    // Give a started trial time to answer before closing the session (which cancels it).
    setTimeout(() => call.end(), 200);
  });
}
