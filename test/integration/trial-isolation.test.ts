/**
 * Each trial runs in a trial process of its own: a real `nas-trainer serve` whose trial process dies
 * mid-trial fails that trial only, says NOT_SERVING until a replacement has loaded and then trains
 * the next trial; while a long step runs, GetInfo and health answer at once; a trial whose process
 * does not stop when the trial is cancelled (frozen here by SIGSTOP) has its process killed and
 * replaced.
 */
import { readFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import {
  createTrainerClient,
  type TrainerClient,
} from '../../controller/trainer-client/trainer-client.ts';
import {
  healthCheck,
  killTrainers,
  LONG,
  spawnTrainer,
  TINY,
  type TrainerProcess,
} from './grpc-helpers.ts';

/** NASNet-A 2 @ 192 on 32x32 images at batch 64: one wasm step takes a second or more. */
const SLOW: TrialRequest = {
  ...TINY,
  network: { ...TINY.network, cells: 2, filters: 192 },
  training: parseTrainingSettings({ ...TINY.training, batchSize: 64, stepsPerEpoch: 2 }),
  dataset: parseDatasetSpec('synthetic:classes=4,size=32,train=256,test=64'),
};

/** The process ids of `pid`'s children (Linux). */
function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** The health status, '' when the call failed. */
async function health(address: string): Promise<string> {
  const answer = await healthCheck(address).catch(() => ({ status: '' }));
  return typeof answer === 'object' && answer !== null && 'status' in answer
    ? String(answer.status)
    : '';
}

/** Polls health every 20 ms until `until` resolves; returns the distinct statuses seen, in order. */
async function watchHealth(address: string, until: Promise<unknown>): Promise<string[]> {
  let done = false;
  void until.finally(() => (done = true));
  const seen: string[] = [];
  while (!done) {
    const now = await health(address);
    if (seen.at(-1) !== now) seen.push(now);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const last = await health(address);
  if (seen.at(-1) !== last) seen.push(last);
  return seen;
}

describe('trial isolation (wasm)', () => {
  let trainer: TrainerProcess;
  let client: TrainerClient;

  beforeAll(async () => {
    trainer = await spawnTrainer(['--backend', 'wasm']);
    client = createTrainerClient({ address: trainer.address });
  }, 60_000);
  afterAll(() => {
    client.close();
    killTrainers();
  });

  it('a trial process killed mid-trial fails that trial only; the trainer recovers by itself', async () => {
    const pid = trainer.child.pid ?? -1;
    const [runner] = childPids(pid);
    if (runner === undefined) throw new Error('the trainer runs no trial process');
    const events = lastValueFrom(client.trial(LONG).pipe(toArray()));
    await expect.poll(async () => (await client.info()).running, { timeout: 20_000 }).toBe(1);
    process.kill(runner, 'SIGKILL');
    const last = (await events).at(-1);
    if (last?.type !== 'result') throw new Error(`the last event is ${last?.type}`);
    expect(last.result.status).toBe('failed');
    expect(last.result.reason).toContain("the trial's process died (signal SIGKILL)");

    const recovered = expect
      .poll(() => health(trainer.address), { timeout: 60_000, interval: 50 })
      .toBe('SERVING');
    const statuses = await watchHealth(trainer.address, recovered);
    expect(statuses).toEqual(['NOT_SERVING', 'SERVING']);
    expect(childPids(pid)).not.toContain(runner);

    const next = (await lastValueFrom(client.trial(TINY).pipe(toArray()))).at(-1);
    expect(next?.type === 'result' && next.result.status).toBe('succeeded');
  }, 120_000);

  it('answers GetInfo and health at once while a long step runs', async () => {
    let stepped = false;
    const subscription = client.trial(SLOW).subscribe({
      next: (event) => (stepped ||= event.type === 'step'),
      complete: () => (stepped = true),
      error: () => (stepped = true),
    });
    await expect.poll(async () => (await client.info()).running, { timeout: 20_000 }).toBe(1);
    const latencies: number[] = [];
    while (!stepped) {
      const asked = Date.now();
      await client.info();
      expect(await health(trainer.address)).toBe('SERVING');
      latencies.push(Date.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    subscription.unsubscribe();
    expect(latencies.length).toBeGreaterThan(5); // the build and the first step took a while
    expect(Math.max(...latencies)).toBeLessThan(500);
  }, 120_000);

  it('kills and replaces a trial process that does not stop when its trial is cancelled', async () => {
    const pid = trainer.child.pid ?? -1;
    await expect.poll(async () => (await client.info()).running, { timeout: 30_000 }).toBe(0);
    await expect.poll(() => health(trainer.address), { timeout: 60_000 }).toBe('SERVING');
    const subscription = client.trial(LONG).subscribe({ error: () => undefined });
    await expect.poll(async () => (await client.info()).running, { timeout: 20_000 }).toBe(1);
    const [runner] = childPids(pid);
    if (runner === undefined) throw new Error('the trainer runs no trial process');
    process.kill(runner, 'SIGSTOP'); // stuck as in a native call that never returns
    const logged = trainer.log().length;
    subscription.unsubscribe();
    await expect
      .poll(() => trainer.log().slice(logged).includes('did not stop within 5 s'), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(() => health(trainer.address), { timeout: 60_000, interval: 100 })
      .toBe('SERVING');
    expect(childPids(pid)).not.toContain(runner);
    const next = (await lastValueFrom(client.trial(TINY).pipe(toArray()))).at(-1);
    expect(next?.type === 'result' && next.result.status).toBe('succeeded');
  }, 120_000);
});

describe('a trainer whose trial process cannot load its backend', () => {
  it('exits 1 with the backend error, as before trials ran in their own processes', async () => {
    const started = spawnTrainer(['--backend', 'node-gpu']);
    const err = await started.then(
      () => new Error('it listened'),
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/exited \(1\) before listening/);
    expect(String(err)).toContain('tfjs backend "node-gpu" cannot be used');
  }, 60_000);
});
