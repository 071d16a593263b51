/**
 * Issue #21 item 6, against real `nas-trainer serve` processes over loopback: a 20@480 trial the
 * trainer refuses for cost gets RESOURCE_EXHAUSTED with the estimate within 1 s, on a 3 s client
 * deadline, through Train and through a Session; nothing reaches a trial process. A trainer without
 * --max-memory refuses by its default limit and says that it is the default.
 */
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { estimateRequestMemory } from '../../shared/memory-estimate.ts';
import { describeEstimate } from '../../shared/memory-fit.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestToWire } from '../../proto/codec.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { createTrainerClient } from '../../controller/trainer-client/trainer-client.ts';
import { callFailure, killTrainers, spawnTrainer, type TrainerProcess } from './grpc-helpers.ts';

/** The chaos campaign's bad trial: NASNet-A 20@480 (62 cells) on 8x8 images, 4 steps of 8. */
const DEEP: TrialRequest = {
  genotype: NASNET_A,
  network: { cells: 20, filters: 480, skeleton: 'cifar', auxHead: false },
  training: parseTrainingSettings({
    epochs: 1,
    stepsPerEpoch: 4,
    batchSize: 8,
    validationSize: 8,
  }),
  dataset: parseDatasetSpec('synthetic:classes=2,size=8,train=32,test=8'),
};

/** 20@480 at the largest batch: terabytes of activations, beyond any machine's default limit. */
const HUGE: TrialRequest = {
  ...DEEP,
  training: parseTrainingSettings({ ...DEEP.training, batchSize: 16_384 }),
  dataset: parseDatasetSpec('synthetic:classes=10,size=32,train=1000,test=100'),
};

/** The client's deadline in the finding, and the most the refusal may take. */
const CLIENT_DEADLINE_MS = 3_000;
const ANSWER_WITHIN_MS = 1_000;

/** A Train call with the finding's deadline: its error and how long it took. */
async function train(address: string, request: TrialRequest): Promise<[ServiceError, number]> {
  const raw = new (loadNasV1().TrainerService)(address, credentials.createInsecure());
  try {
    await new Promise<void>((ready, fail) =>
      raw.waitForReady(Date.now() + 10_000, (err) => (err ? fail(err) : ready())),
    );
    const started = performance.now();
    const err = await new Promise<ServiceError>((done, fail) => {
      const deadline = Date.now() + CLIENT_DEADLINE_MS;
      const call = raw.train(trainRequestToWire(request), new Metadata(), { deadline });
      call.on('error', done);
      call.on('data', () => fail(new Error('the trial started')));
    });
    return [err, performance.now() - started];
  } finally {
    raw.close();
  }
}

/** The same request as the first trial of a Session (the controller's way): error and time. */
async function session(address: string, request: TrialRequest): Promise<[string, number, number]> {
  const client = createTrainerClient({ address });
  try {
    await client.info(); // connects and switches the client to a Session
    const started = performance.now();
    const trial = client.trial(request, { deadlineMs: CLIENT_DEADLINE_MS });
    const err = await callFailure(lastValueFrom(trial));
    return [err.details, err.grpcCode, performance.now() - started];
  } finally {
    client.close();
  }
}

afterAll(() => killTrainers());

describe('a trainer with --max-memory 256MiB', () => {
  let trainer: TrainerProcess;
  beforeAll(async () => {
    trainer = await spawnTrainer(['--backend', 'cpu', '--max-memory', '256MiB']);
  });

  const expected = (details: string): void => {
    expect(details).toBe(
      `the trial needs about ${describeEstimate(estimateRequestMemory(DEEP))}, more than this trainer's memory limit (nas-trainer serve --max-memory) of 256 MiB; allowed: a smaller batch size, network (N@F, stem multiplier), image size or dataset`,
    );
  };

  it('refuses 20@480 over Train with RESOURCE_EXHAUSTED and the estimate within 1 s', async () => {
    const [err, ms] = await train(trainer.address, DEEP);
    expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
    expected(err.details);
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('refuses 20@480 as the first trial of a Session the same way', async () => {
    const [details, code, ms] = await session(trainer.address, DEEP);
    expect(code).toBe(status.RESOURCE_EXHAUSTED);
    expected(details);
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('started no work: no trial ran and the trial process was never asked', async () => {
    const client = createTrainerClient({ address: trainer.address });
    try {
      expect((await client.info()).running).toBe(0);
    } finally {
      client.close();
    }
    expect(trainer.log()).toContain('"msg":"trial refused"');
    expect(trainer.log()).not.toContain('"msg":"trial ended"');
    expect(trainer.log()).not.toContain('replacing a trial process');
  });
});

describe('a trainer without --max-memory', () => {
  let trainer: TrainerProcess;
  beforeAll(async () => {
    trainer = await spawnTrainer(['--backend', 'cpu']);
  });

  it('refuses 20@480 at batch 16384 by its default limit, saying that it is the default', async () => {
    const [err, ms] = await train(trainer.address, HUGE);
    expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(err.details).toMatch(/^the trial needs about [\d.]+ TiB \(activations [\d.]+ TiB, /);
    expect(err.details).toMatch(/more than this trainer's default memory limit \(3\/4 of its /);
    expect(err.details).toContain('nas-trainer serve --max-memory sets another) of ');
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
  });
});
