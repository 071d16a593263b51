/**
 * Backpressure on the trainer's streams, over a real server on 127.0.0.1:0 with a caller that stops
 * reading: a trial that emits far more than HTTP/2 flow control lets through keeps the call's write
 * buffer at its highWaterMark, the caller still gets every event in order once it reads, and a
 * caller that cancels while the stream is blocked leaves nothing waiting.
 */
import {
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestToWire } from '../../proto/codec.ts';
import type { SessionResponse__Output } from '../../proto/gen/nas/v1/SessionResponse.ts';
import type { TrainResponse__Output } from '../../proto/gen/nas/v1/TrainResponse.ts';
import { loadNasV1 } from '../../proto/load.ts';
import type { TrainerServiceHandlers } from '../../proto/gen/nas/v1/TrainerService.ts';
import { trainerHandlers } from '../../trainer/server/trainer-handlers.ts';
import type { TrialRunner } from '../../trainer/runner/trial-runner.ts';
import { createTrialService } from '../../trainer/server/trial-service.ts';
import { FAKE_RESULT } from './grpc-fake-runner.ts';
import { TINY } from './grpc-helpers.ts';

/** Far more epoch messages (about 70 bytes each on the wire) than a 64 KiB flow-control window. */
const EPOCHS = 3000;

const REQUEST: TrialRequest = {
  ...TINY,
  training: parseTrainingSettings({ ...TINY.training, epochs: EPOCHS, stepsPerEpoch: 1 }),
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the server side saw: the call's largest write buffer, and when the trial ended. */
interface Observed {
  call: Writable | undefined;
  peak: number;
  highWaterMark: number;
  ended: Promise<void>;
}

/**
 * A runner standing in for tfjs that emits one step and one epoch per "epoch", a hundred epochs a
 * turn of the event loop, sampling the call's write buffer after each.
 */
function floodRunner(observed: Observed, ended: () => void): TrialRunner {
  return async (request, hooks) => {
    const epochs: Parameters<NonNullable<typeof hooks.onEpoch>>[0][] = [];
    const total = request.training.epochs;
    hooks.onPlanned?.({ params: 10, multAdds: 20 });
    for (let epoch = 1; epoch <= total && hooks.signal?.aborted !== true; epoch++) {
      if (epoch % 100 === 0) await nextTurn();
      hooks.onStep?.(epoch, total);
      const metrics = {
        epoch,
        trainLoss: 1 / epoch,
        trainAccuracy: 0.5,
        validationLoss: NaN,
        validationAccuracy: NaN,
        learningRate: 0.1,
        seconds: 0,
        imagesPerSecond: 1,
      };
      epochs.push(metrics);
      hooks.onEpoch?.(metrics);
      observed.peak = Math.max(observed.peak, observed.call?.writableLength ?? 0);
    }
    ended();
    const cancelled = hooks.signal?.aborted === true;
    return {
      ...FAKE_RESULT,
      status: cancelled ? 'cancelled' : 'succeeded',
      reason: cancelled ? 'cancelled' : '',
      epochs,
    };
  };
}

/** A trainer server whose handlers note the call they serve, and a raw client of it. */
async function start() {
  let ended = (): void => undefined;
  const observed: Observed = {
    call: undefined,
    peak: 0,
    highWaterMark: 0,
    ended: new Promise<void>((resolve) => (ended = resolve)),
  };
  const service = createTrialService({
    runner: floodRunner(observed, () => ended()),
    capacity: 1,
    backend: { backend: 'fake', device: 'fake' },
    stepIntervalMs: 0,
  });
  const handlers = trainerHandlers(service, pino({ level: 'silent' }));
  const note = (call: Writable): void => {
    observed.call = call;
    observed.highWaterMark = call.writableHighWaterMark;
  };
  const noting: TrainerServiceHandlers = {
    ...handlers,
    Train: (call) => {
      note(call);
      handlers.Train(call);
    },
    Session: (call) => {
      note(call);
      handlers.Session(call);
    },
  };
  const server = new Server();
  server.addService(loadNasV1().TrainerService.service, noting);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  const client = new (loadNasV1().TrainerService)(
    `127.0.0.1:${port}`,
    credentials.createInsecure(),
  );
  cleanups.push(() => server.forceShutdown());
  cleanups.push(() => client.close());
  return { observed, service, client };
}

describe('backpressure on trainer streams', () => {
  it('Train: holds the write buffer at its highWaterMark while the caller does not read', async () => {
    const { observed, client } = await start();
    const call = client.train(trainRequestToWire(REQUEST), new Metadata(), {
      deadline: Date.now() + 30_000,
    });
    cleanups.push(() => call.cancel());
    await observed.ended;
    expect(observed.peak).toBeGreaterThanOrEqual(observed.highWaterMark); // the caller held back
    expect(observed.peak).toBeLessThanOrEqual(observed.highWaterMark + 1);
    const messages: TrainResponse__Output[] = [];
    const code = await new Promise<status>((resolve) => {
      call.on('data', (m: TrainResponse__Output) => messages.push(m));
      call.on('error', (err: ServiceError) => resolve(err.code));
      call.on('end', () => resolve(status.OK));
    });
    expect(code).toBe(status.OK);
    const epochs = messages.flatMap((m) => (m.epoch ? [m.epoch.epoch] : []));
    expect(epochs).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(messages.at(-1)?.result?.status).toBe('TRIAL_STATUS_SUCCEEDED');
    const steps = messages.flatMap((m) => (m.step ? [m.step.step] : []));
    expect(steps.at(-1)).toBe(EPOCHS); // the last step survives coalescing
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(messages[0]?.event).toBe('started');
  });

  it('Session: holds the write buffer at its highWaterMark and keeps every epoch in order', async () => {
    const { observed, client } = await start();
    const call = client.session(new Metadata());
    call.on('error', () => undefined); // the cleanup cancels it
    cleanups.push(() => call.cancel());
    call.write({ key: 4, start: trainRequestToWire(REQUEST) });
    await observed.ended;
    expect(observed.peak).toBeGreaterThanOrEqual(observed.highWaterMark);
    expect(observed.peak).toBeLessThanOrEqual(observed.highWaterMark + 1);
    const messages: SessionResponse__Output[] = [];
    const result = new Promise<void>((resolve) =>
      call.on('data', (m: SessionResponse__Output) => {
        messages.push(m);
        if (m.event?.result) resolve();
      }),
    );
    await result;
    const epochs = messages.flatMap((m) => (m.event?.epoch ? [m.event.epoch.epoch] : []));
    expect(epochs).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(messages.every((m) => m.key === 4)).toBe(true);
    expect(messages.at(-1)?.event?.result?.status).toBe('TRIAL_STATUS_SUCCEEDED');
  });

  it('Train: a caller that cancels while the stream is blocked frees the trial', async () => {
    const { observed, client, service } = await start();
    const request = {
      ...REQUEST,
      training: parseTrainingSettings({ ...REQUEST.training, epochs: 10_000 }),
    };
    const call = client.train(trainRequestToWire(request), new Metadata(), {
      deadline: Date.now() + 30_000,
    });
    call.on('error', () => undefined);
    await expect
      .poll(() => observed.peak, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(observed.highWaterMark || 1);
    call.cancel();
    await observed.ended;
    await expect.poll(() => service.info().running, { timeout: 5000 }).toBe(0);
    expect(observed.call?.writableLength ?? 0).toBeLessThanOrEqual(observed.highWaterMark + 1);
  });
});
