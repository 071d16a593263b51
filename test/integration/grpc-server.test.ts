/**
 * The trainer server in process on 127.0.0.1:0 with a fake trial runner (an injected function, the
 * process edge here is tfjs): capacity, cancellation, shutdown, error statuses, the token, the data
 * root, message limits and reflection, in milliseconds. Real training over real processes is in
 * grpc-trainer.test.ts.
 */
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestToWire } from '../../proto/codec.ts';
import type { SessionResponse__Output } from '../../proto/gen/nas/v1/SessionResponse.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { startTrainerServer, type TrainerServer } from '../../trainer/server/trainer-server.ts';
import type { TrialRunner } from '../../trainer/runner/trial-runner.ts';
import { createTrialService } from '../../trainer/server/trial-service.ts';
import {
  createTrainerClient,
  type TrainerClient,
} from '../../controller/trainer-client/trainer-client.ts';
import { BUGGY_DATASET, fakeRunner, MISSING_DATASET } from './grpc-fake-runner.ts';
import { callFailure, reflectionServices } from './grpc-helpers.ts';
import { trainCall } from '../fixtures/train-call.ts';

const BACKEND = { backend: 'fake', device: 'a test double' };
const REQUEST: TrialRequest = {
  genotype: NASNET_A,
  network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
  training: parseTrainingSettings({ epochs: 2, stepsPerEpoch: 3 }),
  dataset: parseDatasetSpec('synthetic'),
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * How the client runs trials in a test: over one Session stream (nas-ctl's transport), or one Train
 * call each (the trainer's compatibility shim, through the test's own Train client).
 */
type Transport = 'session' | 'call';
let transport: Transport = 'session';

/** `client` with its trials sent as Train calls over a channel of their own. */
function overTrainCalls(client: TrainerClient, token: string | undefined): TrainerClient {
  const raw = new (loadNasV1().TrainerService)(client.address, credentials.createInsecure());
  cleanups.push(() => raw.close());
  return {
    ...client,
    trial: (request, options = {}) =>
      trainCall(raw, client.address, request, {
        ...(token === undefined ? {} : { token }),
        ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
      }),
  };
}

async function start(
  runner: TrialRunner,
  extra: { token?: string; dataRoot?: string; capacity?: number; port?: number } = {},
): Promise<{ server: TrainerServer; client: TrainerClient }> {
  const service = createTrialService({
    runner,
    capacity: extra.capacity ?? 1,
    backend: BACKEND,
    stepIntervalMs: 0,
    ...(extra.dataRoot ? { dataRoot: extra.dataRoot } : {}),
  });
  const server = await startTrainerServer({
    host: '127.0.0.1',
    port: extra.port ?? 0,
    service,
    logger: pino({ level: 'silent' }),
    graceMs: 2000,
    ...(extra.token ? { token: extra.token } : {}),
  });
  const sessionClient = createTrainerClient({
    address: server.address,
    ...(extra.token ? { token: extra.token } : {}),
  });
  cleanups.push(() => server.shutdown('test over'));
  cleanups.push(() => sessionClient.close());
  const client =
    transport === 'session' ? sessionClient : overTrainCalls(sessionClient, extra.token);
  await client.info();
  return { server, client };
}

describe.each(['session', 'call'] as const)('trainer server (in process, fake runner, %s)', (t) => {
  beforeEach(() => {
    transport = t;
  });

  it('describes itself and streams started, steps, epochs and the result', async () => {
    const { client } = await start(fakeRunner(1));
    expect(await client.info()).toMatchObject({
      capacity: 1,
      running: 0,
      backend: 'fake',
      protocolVersion: '1.3',
      maxMemoryBytes: null,
    });
    const events = await lastValueFrom(client.trial(REQUEST).pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual([
      'started',
      'step',
      'step',
      'step',
      'epoch',
      'step',
      'step',
      'step',
      'epoch',
      'result',
    ]);
    const last = events.at(-1);
    expect(last?.type === 'result' && last.result.status).toBe('succeeded');
  });

  it('refuses a trial beyond capacity with a retryable RESOURCE_EXHAUSTED, and cancels on unsubscribe', async () => {
    const { client } = await start(fakeRunner(20));
    const long = {
      ...REQUEST,
      training: parseTrainingSettings({ epochs: 100, stepsPerEpoch: 100 }),
    };
    const subscription = client.trial(long).subscribe({ error: () => undefined });
    await expect.poll(async () => (await client.info()).running).toBe(1);
    const busy = await callFailure(lastValueFrom(client.trial(REQUEST)));
    expect(busy.grpcCode).toBe(status.RESOURCE_EXHAUSTED);
    expect(busy.retryable).toBe(true);
    subscription.unsubscribe();
    await expect.poll(async () => (await client.info()).running, { timeout: 2000 }).toBe(0);
    expect((await lastValueFrom(client.trial(REQUEST))).type).toBe('result');
  });

  it('reconnects to a trainer that comes back on the same port', async () => {
    const { server, client } = await start(fakeRunner(1));
    expect((await client.info()).running).toBe(0);
    await server.shutdown('restart');
    await start(fakeRunner(1), { port: server.port });
    expect((await client.info()).backend).toBe('fake');
  });

  it('reports the running trial as cancelled when it shuts down', async () => {
    const { server, client } = await start(fakeRunner(20));
    const long = {
      ...REQUEST,
      training: parseTrainingSettings({ epochs: 100, stepsPerEpoch: 100 }),
    };
    const events = lastValueFrom(client.trial(long));
    await expect.poll(async () => (await client.info()).running).toBe(1);
    await server.shutdown('the trainer is shutting down (test)');
    const last = await events;
    expect(last.type === 'result' && last.result).toMatchObject({
      status: 'cancelled',
      reason: 'the trainer is shutting down (test)',
    });
  });

  it('maps failures to statuses and keeps serving', async () => {
    const { client } = await start(fakeRunner(1));
    const missing = await callFailure(
      lastValueFrom(client.trial({ ...REQUEST, dataset: MISSING_DATASET })),
    );
    expect(missing.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(missing.details).toContain('/data/missing.bin');
    expect(missing.retryable).toBe(false);
    const bug = await callFailure(
      lastValueFrom(client.trial({ ...REQUEST, dataset: BUGGY_DATASET })),
    );
    expect(bug.grpcCode).toBe(status.INTERNAL);
    expect(bug.details).not.toContain('/home/x');
    expect((await client.info()).running).toBe(0);
  });

  it('refuses calls without the token, health and reflection included', async () => {
    const { server } = await start(fakeRunner(1), { token: 'sesame-sesame' });
    const anonymous = createTrainerClient({ address: server.address });
    const wrong = createTrainerClient({ address: server.address, token: 'not-the-token' });
    cleanups.push(
      () => anonymous.close(),
      () => wrong.close(),
    );
    for (const client of [anonymous, wrong]) {
      const err = await callFailure(client.info());
      expect(err.grpcCode).toBe(status.UNAUTHENTICATED);
      expect(err.retryable).toBe(false);
      expect((await callFailure(lastValueFrom(client.trial(REQUEST)))).grpcCode).toBe(
        status.UNAUTHENTICATED,
      );
    }
    const reflection = await reflectionServices(server.address).catch((e: ServiceError) => e.code);
    expect(reflection).toBe(status.UNAUTHENTICATED);
  });

  it('resolves dataset folders under the data root and refuses the ones outside it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cellsearch-root-'));
    const seen: string[] = [];
    const { client } = await start(fakeRunner(1, seen), { dataRoot: root });
    const relative = parseDatasetSpec('cifar10:cifar-10-batches-bin');
    await lastValueFrom(client.trial({ ...REQUEST, dataset: relative }));
    expect(seen).toEqual([`cifar10:${join(root, 'cifar-10-batches-bin')}`]);
    for (const spec of ['cifar10:../elsewhere', 'mnist:/etc']) {
      const dataset = parseDatasetSpec(spec);
      const err = await callFailure(lastValueFrom(client.trial({ ...REQUEST, dataset })));
      expect(err.grpcCode).toBe(status.PERMISSION_DENIED);
      expect(err.details).toContain('outside');
    }
  });

  it('resolves a relative dataset folder against its working directory without a data root', async () => {
    const seen: string[] = [];
    const { client } = await start(fakeRunner(1, seen));
    const dataset = parseDatasetSpec('cifar100:rel/cifar-100-binary,labels=coarse');
    expect(dataset).toMatchObject({ dir: 'rel/cifar-100-binary' });
    await lastValueFrom(client.trial({ ...REQUEST, dataset }));
    expect(seen).toEqual([`cifar100:${resolve('rel/cifar-100-binary')},labels=coarse`]);
  });

  it('refuses a dataset spec that does not parse with INVALID_ARGUMENT and its path', async () => {
    const { server } = await start(fakeRunner(1));
    const raw = new (loadNasV1().TrainerService)(server.address, credentials.createInsecure());
    cleanups.push(() => raw.close());
    const wire = { ...trainRequestToWire(REQUEST), dataset: 'cifar11:/x' };
    const err = await new Promise<ServiceError>((done) => {
      const call = raw.train(wire, new Metadata(), { deadline: Date.now() + 5000 });
      call.on('error', done);
      call.on('data', () => undefined);
    });
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toContain('dataset.kind');
    expect(err.details).toContain('did you mean "cifar10"?');
  });

  it('refuses an oversized request with RESOURCE_EXHAUSTED and serves reflection', async () => {
    const { server, client } = await start(fakeRunner(1));
    const unlimited = new (loadNasV1().TrainerService)(
      server.address,
      credentials.createInsecure(),
      { 'grpc.max_send_message_length': -1 },
    );
    cleanups.push(() => unlimited.close());
    const big = { ...trainRequestToWire(REQUEST), dataset: 'x'.repeat(200_000) };
    const code = await new Promise<status>((resolve) => {
      const call = unlimited.train(big, new Metadata(), { deadline: Date.now() + 5000 });
      call.on('error', (err: ServiceError) => resolve(err.code));
      call.on('data', () => undefined);
    });
    expect(code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await reflectionServices(server.address)).toContain('nas.v1.TrainerService');
    expect((await client.info()).running).toBe(0);
  });
});

describe('the Session stream (raw)', () => {
  type Message = SessionResponse__Output;

  /** Opens a raw session to `address` and collects its messages. */
  function openSession(address: string, token?: string) {
    const raw = new (loadNasV1().TrainerService)(address, credentials.createInsecure());
    const metadata = new Metadata();
    if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
    const call = raw.session(metadata);
    const messages: Message[] = [];
    const ended = new Promise<status>((resolve) => {
      call.on('error', (err: ServiceError) => resolve(err.code));
      call.on('end', () => resolve(status.OK));
    });
    call.on('data', (m: Message) => messages.push(m));
    cleanups.push(() => {
      call.cancel();
      raw.close();
    });
    const of = (key: number) => messages.filter((m) => m.key === key);
    const resultOf = (key: number) =>
      of(key).find((m) => m.event?.event === 'result')?.event?.result ?? null;
    return { call, messages, of, resultOf, ended };
  }

  async function server(runner: TrialRunner, capacity: number, token?: string) {
    const service = createTrialService({ runner, capacity, backend: BACKEND, stepIntervalMs: 0 });
    const s = await startTrainerServer({
      host: '127.0.0.1',
      port: 0,
      service,
      logger: pino({ level: 'silent' }),
      graceMs: 2000,
      ...(token ? { token } : {}),
    });
    cleanups.push(() => s.shutdown('test over'));
    return { server: s, service };
  }

  const LONG_REQUEST = {
    ...REQUEST,
    training: parseTrainingSettings({ epochs: 100, stepsPerEpoch: 100 }),
  };

  it('runs trials by key, cancels one by key, and refuses a bad one with a TrialError', async () => {
    const { server: s } = await server(fakeRunner(5), 2);
    const session = openSession(s.address);
    session.call.write({ key: 7, start: trainRequestToWire(REQUEST) });
    session.call.write({ key: 8, start: trainRequestToWire(LONG_REQUEST) });
    const blocks = NASNET_A.normal.blocks.map((b, i) => (i === 1 ? { ...b, inputA: 9 } : b));
    const bad = { ...REQUEST, genotype: { ...NASNET_A, normal: { ...NASNET_A.normal, blocks } } };
    session.call.write({ key: 9, start: trainRequestToWire(bad) });
    await expect.poll(() => session.resultOf(7), { timeout: 5000 }).not.toBeNull();
    expect(session.resultOf(7)).toMatchObject({ status: 'TRIAL_STATUS_SUCCEEDED' });
    expect(session.of(7).map((m) => m.event?.event)).toEqual(
      expect.arrayContaining(['started', 'step', 'epoch', 'result']),
    );
    const refusal = session.of(9)[0]?.error;
    expect(refusal?.code).toBe(status.INVALID_ARGUMENT);
    expect(refusal?.details).toContain('normal.blocks[1].inputA');
    expect(session.resultOf(8)).toBeNull();
    session.call.write({ key: 8, cancel: {} });
    await expect.poll(() => session.resultOf(8), { timeout: 5000 }).not.toBeNull();
    expect(session.resultOf(8)).toMatchObject({ status: 'TRIAL_STATUS_CANCELLED' });
  });

  it('cancels the trials of a session that closes, and refuses one over capacity', async () => {
    const { server: s, service } = await server(fakeRunner(5), 1);
    const session = openSession(s.address);
    session.call.write({ key: 1, start: trainRequestToWire(LONG_REQUEST) });
    session.call.write({ key: 2, start: trainRequestToWire(REQUEST) });
    await expect.poll(() => session.of(2)[0]?.error?.code ?? null).toBe(status.RESOURCE_EXHAUSTED);
    expect(service.info().running).toBe(1);
    session.call.cancel();
    await expect.poll(() => service.info().running, { timeout: 5000 }).toBe(0);
  });

  it('refuses a session without the token', async () => {
    const { server: s } = await server(fakeRunner(1), 1, 'sesame-sesame');
    const session = openSession(s.address);
    session.call.write({ key: 1, start: trainRequestToWire(REQUEST) });
    expect(await session.ended).toBe(status.UNAUTHENTICATED);
    expect(session.messages).toEqual([]);
  });
});
