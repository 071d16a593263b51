/**
 * Trainers that vanish mid-trial: killed (kill -9: the connection drops) or frozen (SIGSTOP: only
 * keepalive notices). Either way the trial fails within seconds with a retryable TrainerCallError.
 */
import { status } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTrainerClient,
  TrainerCallError,
  type TrainerClientOptions,
} from '../../controller/trainer-client/index.ts';
import { killTrainers, LONG, spawnTrainer, type TrainerProcess } from './grpc-helpers.ts';

afterAll(killTrainers);

/** Starts a long trial, waits until its steps flow, does `vanish` to the trainer, and times the failure. */
async function vanishMidTrial(
  vanish: (trainer: TrainerProcess) => void,
  options: Partial<TrainerClientOptions> = {},
): Promise<{ err: TrainerCallError; ms: number }> {
  const trainer = await spawnTrainer(['--backend', 'wasm']);
  const client = createTrainerClient({ ...options, address: trainer.address });
  let training = (): void => undefined;
  const steps = new Promise<void>((resolve) => (training = resolve));
  const failed = new Promise<TrainerCallError>((resolve, reject) => {
    client.trial(LONG).subscribe({
      next: (event) => (event.type === 'step' && event.step >= 3 ? training() : undefined),
      error: (err: unknown) =>
        err instanceof TrainerCallError ? resolve(err) : reject(new Error(String(err))),
      complete: () => reject(new Error('the trial completed')),
    });
  });
  try {
    const early = failed.then((err) =>
      Promise.reject(new Error(`failed before it vanished: ${err.message}`)),
    );
    early.catch(() => undefined); // only the race below listens to it
    await Promise.race([steps, early]);
    const vanished = Date.now();
    vanish(trainer);
    const err = await failed;
    return { err, ms: Date.now() - vanished };
  } finally {
    client.close();
  }
}

describe('a trainer that vanishes mid-trial', () => {
  it('killed: surfaces within seconds as a retryable UNAVAILABLE', async () => {
    const { err, ms } = await vanishMidTrial((trainer) => trainer.child.kill('SIGKILL'));
    expect(ms).toBeLessThan(5_000);
    expect(err.retryable).toBe(true);
    expect(err.grpcCode).toBe(status.UNAVAILABLE);
  }, 60_000);

  it('frozen: the keepalive timeout fails the trial, retryable, within seconds', async () => {
    // Short enough to test quickly, long enough for a busy trainer to answer pings between steps.
    const keepalive = { keepaliveTimeMs: 1_000, keepaliveTimeoutMs: 3_000 };
    const { err, ms } = await vanishMidTrial((trainer) => trainer.child.kill('SIGSTOP'), keepalive);
    expect(ms).toBeLessThan(10_000);
    expect(err.retryable).toBe(true);
  }, 60_000);
});
