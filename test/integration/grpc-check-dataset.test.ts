/**
 * CheckDataset over real gRPC on 127.0.0.1:0 (protocol 1.3): a trainer reads a real (tiny) CIFAR-10
 * folder with its own readers and describes it; an unreadable folder is FAILED_PRECONDITION naming
 * the file, a folder outside the data root PERMISSION_DENIED, a malformed spec INVALID_ARGUMENT.
 */
import {
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServiceError,
} from '@grpc/grpc-js';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { startTrainerServer } from '../../trainer/server/trainer-server.ts';
import { createTrialService } from '../../trainer/server/trial-service.ts';
import { createTrainerClient } from '../../controller/trainer-client/trainer-client.ts';
import { fakeRunner } from './grpc-fake-runner.ts';
import { callFailure } from './grpc-helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A trainer server with the real dataset readers (trials are faked: none runs here). */
async function start(dataRoot?: string): Promise<string> {
  const service = createTrialService({
    runner: fakeRunner(1),
    capacity: 1,
    backend: { backend: 'fake', device: 'a test double' },
    ...(dataRoot === undefined ? {} : { dataRoot }),
  });
  const server = await startTrainerServer({
    host: '127.0.0.1',
    port: 0,
    service,
    logger: pino({ level: 'silent' }),
  });
  cleanups.push(() => server.shutdown('test over'));
  return server.address;
}

function client(address: string): ReturnType<typeof createTrainerClient> {
  const c = createTrainerClient({ address });
  cleanups.push(() => c.close());
  return c;
}

/** CIFAR-10's six binary batches with `perBatch` records each (labels cycling 0..9). */
async function writeCifar10(dir: string, perBatch: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const batch = (): Uint8Array => {
    const out = new Uint8Array(perBatch * 3073);
    for (let r = 0; r < perBatch; r++) out[r * 3073] = r % 10;
    return out;
  };
  for (let b = 1; b <= 5; b++) await writeFile(join(dir, `data_batch_${b}.bin`), batch());
  await writeFile(join(dir, 'test_batch.bin'), batch());
}

describe('CheckDataset', () => {
  it('reads a real dataset folder and answers its image shape, classes and split sizes', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-check-')), 'cifar');
    await writeCifar10(dir, 3);
    const trainer = client(await start());
    expect(await trainer.checkDataset(parseDatasetSpec(`cifar10:${dir}`))).toEqual({
      image: { height: 32, width: 32, channels: 3 },
      classes: 10,
      trainCount: 15,
      testCount: 3,
    });
    expect(await trainer.checkDataset(parseDatasetSpec('synthetic:size=16,train=100'))).toEqual({
      image: { height: 16, width: 16, channels: 3 },
      classes: 10,
      trainCount: 100,
      testCount: 1000,
    });
  });

  it('refuses a folder it cannot read with FAILED_PRECONDITION naming the missing file', async () => {
    const trainer = client(await start());
    const err = await callFailure(trainer.checkDataset(parseDatasetSpec('cifar10:/nope')));
    expect(err.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(err.retryable).toBe(false);
    expect(err.details).toBe('dataset: cannot read /nope/data_batch_1.bin: missing CIFAR-10 batch');
  });

  it('refuses a folder outside its data root with PERMISSION_DENIED', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cellsearch-root-'));
    const trainer = client(await start(root));
    const err = await callFailure(trainer.checkDataset(parseDatasetSpec('cifar10:../elsewhere')));
    expect(err.grpcCode).toBe(status.PERMISSION_DENIED);
    expect(err.details).toContain('outside this trainer');
  });

  it.each([
    ['cifar10', 'cifar10 needs a folder'],
    ['bogus:x', 'unknown dataset kind "bogus"'],
    ['', 'empty dataset spec'],
  ])('refuses the malformed spec %j with INVALID_ARGUMENT', async (spec, why) => {
    const address = await start();
    const raw = new (loadNasV1().TrainerService)(address, credentials.createInsecure());
    cleanups.push(() => raw.close());
    const err = await new Promise<ServiceError>((resolve, reject) =>
      raw.checkDataset(
        { dataset: spec },
        new Metadata(),
        { deadline: Date.now() + 5000 },
        (e, answer) => (e ? resolve(e) : reject(new Error(`answered ${JSON.stringify(answer)}`))),
      ),
    );
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toContain(why);
  });
});

describe('CheckDataset cancelled', () => {
  it('ends the call with CANCELLED as soon as the abort signal fires (a Ctrl-C while starting)', async () => {
    // A trainer still reading a large dataset: it accepts the call and never answers.
    const server = new Server();
    server.addService(loadNasV1().TrainerService.service, {
      checkDataset: () => undefined,
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    cleanups.push(() => void server.forceShutdown());
    const trainer = client(`127.0.0.1:${port}`);
    const aborter = new AbortController();
    const started = Date.now();
    setTimeout(() => aborter.abort(), 200);
    const err = await callFailure(
      trainer.checkDataset(parseDatasetSpec('synthetic:size=16'), aborter.signal),
    );
    expect(err.grpcCode).toBe(status.CANCELLED);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
