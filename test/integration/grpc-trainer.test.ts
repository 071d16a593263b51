// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * A real `nas-trainer serve` process on 127.0.0.1:0 driven by the controller's client: the health
 * service, a tiny training on synthetic data, bad input that never kills the trainer, cancellation
 * by unsubscribing, and a graceful SIGTERM.
 */
import { status } from '@grpc/grpc-js';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import {
  createTrainerClient,
  type TrainerClient,
} from '../../controller/trainer-client/trainer-client.ts';
import {
  callFailure,
  healthCheck,
  killTrainers,
  LONG,
  spawnTrainer,
  TINY,
  type TrainerProcess,
} from './grpc-helpers.ts';
import {
  loadTestBackend,
  TEST_BACKEND,
  TEST_BACKEND_FLAG,
  TEST_TFJS_BACKEND,
} from '../fixtures/test-backend.ts';

const testBackend = await loadTestBackend(TEST_BACKEND, false); // can this process load it?

describe.skipIf(testBackend === null)(`nas-trainer serve on ${TEST_BACKEND}`, () => {
  let trainer: TrainerProcess;
  let client: TrainerClient;

  beforeAll(async () => {
    trainer = await spawnTrainer([...TEST_BACKEND_FLAG]);
    client = createTrainerClient({ address: trainer.address });
  }, 60_000);
  afterAll(() => {
    client.close();
    killTrainers();
  });

  it('prints its loopback address, answers the health check and GetInfo', async () => {
    expect(trainer.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await healthCheck(trainer.address)).toEqual({ status: 'SERVING' });
    expect(await client.info()).toMatchObject({
      capacity: 1,
      running: 0,
      backend: TEST_TFJS_BACKEND,
      protocolVersion: '1.3',
    });
    expect((await client.info()).maxMemoryBytes).toBeGreaterThan(0);
  });

  it('trains a tiny network on synthetic data and streams its events', async () => {
    const events = await lastValueFrom(client.trial(TINY, { trialId: 'tiny' }).pipe(toArray()));
    expect(events[0]?.type).toBe('started');
    expect(events.map((e) => e.type)).toContain('epoch');
    const last = events.at(-1);
    if (last?.type !== 'result') throw new Error(`the last event is ${last?.type}`);
    expect(last.result).toMatchObject({ status: 'succeeded', backend: TEST_TFJS_BACKEND });
    expect(last.result.epochs).toHaveLength(1);
    expect(last.result.testAccuracy).not.toBeNull();
  });

  it('refuses an invalid genotype with INVALID_ARGUMENT naming the field', async () => {
    const blocks = NASNET_A.normal.blocks.map((b, i) => (i === 1 ? { ...b, inputA: 9 } : b));
    const genotype = { ...NASNET_A, normal: { ...NASNET_A.normal, blocks } };
    const err = await callFailure(lastValueFrom(client.trial({ ...TINY, genotype })));
    expect(err.grpcCode).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toContain('normal.blocks[1].inputA');
    expect(err.retryable).toBe(false);
  });

  it('refuses an unreadable dataset with FAILED_PRECONDITION naming the path, and keeps serving', async () => {
    const dataset = parseDatasetSpec('cifar10:/nonexistent/cifar-10-batches-bin');
    const err = await callFailure(lastValueFrom(client.trial({ ...TINY, dataset })));
    expect(err.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(err.details).toContain('/nonexistent/cifar-10-batches-bin');
    expect(await client.info()).toMatchObject({ running: 0 });
  });

  it('cancels a running trial promptly when the caller unsubscribes', async () => {
    const subscription = client.trial(LONG).subscribe({ error: () => undefined });
    await expect.poll(async () => (await client.info()).running, { timeout: 20_000 }).toBe(1);
    const cancelled = Date.now();
    subscription.unsubscribe();
    await expect
      .poll(async () => (await client.info()).running, { timeout: 5_000, interval: 50 })
      .toBe(0);
    expect(Date.now() - cancelled).toBeLessThan(5_000);
  });

  it('on SIGTERM reports the running trial as cancelled and exits 0', async () => {
    const trial = lastValueFrom(client.trial(LONG));
    await expect.poll(async () => (await client.info()).running, { timeout: 20_000 }).toBe(1);
    trainer.child.kill('SIGTERM');
    const last = await trial;
    if (last.type !== 'result') throw new Error(`the last event is ${last.type}`);
    expect(last.result.status).toBe('cancelled');
    expect(last.result.reason).toContain('shutting down');
    expect(await trainer.exit).toBe(0);
  }, 60_000);
});
