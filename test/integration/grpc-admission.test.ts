/**
 * Admission by cost through a real gRPC server (in process, fake runner: nothing here trains): every
 * request of issue #10 that used to end in INTERNAL with a raw RangeError now gets INVALID_ARGUMENT
 * (out of range) or RESOURCE_EXHAUSTED (too big for the trainer's memory limit), before any runner
 * is called.
 */
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestToWire } from '../../proto/codec.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { startTrainerServer } from '../../trainer/server/trainer-server.ts';
import { createTrialService } from '../../trainer/server/trial-service.ts';
import {
  createTrainerClient,
  type TrainerClient,
} from '../../controller/trainer-client/trainer-client.ts';
import { fakeRunner } from './grpc-fake-runner.ts';

const LIMIT = 8 * 2 ** 30;
const REQUEST: TrialRequest = {
  genotype: NASNET_A,
  network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
  training: parseTrainingSettings({ epochs: 1, stepsPerEpoch: 1, batchSize: 16 }),
  dataset: parseDatasetSpec('synthetic:size=16,train=64'),
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(seen: string[]): Promise<{ address: string; client: TrainerClient }> {
  const service = createTrialService({
    runner: fakeRunner(1, seen),
    capacity: 1,
    backend: { backend: 'fake', device: 'a test double' },
    maxMemoryBytes: LIMIT,
  });
  const server = await startTrainerServer({
    host: '127.0.0.1',
    port: 0,
    service,
    logger: pino({ level: 'silent' }),
    graceMs: 2000,
  });
  const client = createTrainerClient({ address: server.address });
  cleanups.push(() => server.shutdown('test over'));
  cleanups.push(() => client.close());
  return { address: server.address, client };
}

/** Sends `request` (unvalidated: fields out of range travel as they are) and returns the error. */
async function refusal(address: string, request: object): Promise<ServiceError> {
  const raw = new (loadNasV1().TrainerService)(address, credentials.createInsecure());
  cleanups.push(() => raw.close());
  const wire = trainRequestToWire({ ...REQUEST, ...request });
  return new Promise<ServiceError>((done, fail) => {
    const call = raw.train(wire, new Metadata(), { deadline: Date.now() + 10_000 });
    call.on('error', done);
    call.on('data', () => undefined);
    call.on('end', () => fail(new Error('the trial was accepted')));
  });
}

const network = (patch: object): object => ({ network: { ...REQUEST.network, ...patch } });
const training = (patch: object): object => ({
  training: { ...REQUEST.training, ...patch },
});

describe('admission by cost (in process, fake runner)', () => {
  it('reports its memory limit in GetInfo', async () => {
    const { client } = await start([]);
    expect((await client.info()).maxMemoryBytes).toBe(LIMIT);
  });

  it.each([
    ['network.stemMultiplier', network({ stemMultiplier: 1e300 }), /in 0\.\.16/],
    ['network.filters', network({ filters: 1_000_008 }), /multiple of 24 in 24\.\.8064/],
    ['network.cells', network({ cells: 1000 }), /integer in 1\.\.20/],
    [
      'training.batchSize',
      { ...network({ filters: 240 }), ...training({ batchSize: 65_536 }) },
      /integer in 1\.\.16384/,
    ],
  ])('refuses %s out of range with INVALID_ARGUMENT', async (path, request, range) => {
    const seen: string[] = [];
    const { address } = await start(seen);
    const err = await refusal(address, request);
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toContain(path);
    expect(err.details).toMatch(range);
    expect(seen).toEqual([]);
  });

  it.each([
    [
      'a dataset of 786 GB',
      { dataset: parseDatasetSpec('synthetic:size=512,train=1000000') },
      'dataset 1.43 TiB',
    ],
    [
      'batch 16384 at filters 240',
      { ...network({ filters: 240 }), ...training({ batchSize: 16_384 }) },
      'activations',
    ],
  ])(
    'refuses %s with RESOURCE_EXHAUSTED naming the estimate and the limit',
    async (_, request, part) => {
      const seen: string[] = [];
      const { address } = await start(seen);
      const err = await refusal(address, request);
      expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(err.details).toMatch(/^the trial needs about \d/);
      expect(err.details).toContain(part);
      expect(err.details).toContain(
        "more than this trainer's memory limit (nas-trainer serve --max-memory) of 8 GiB",
      );
      expect(seen).toEqual([]);
    },
  );
});
