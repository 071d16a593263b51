/**
 * Trainers that vanish mid-trial: killed (kill -9: the connection drops) or frozen (SIGSTOP: only
 * keepalive notices). Either way the trial fails within seconds with a retryable TrainerCallError,
 * and so does the next trial sent to a frozen trainer (it never completes a new connection).
 */
import { status } from '@grpc/grpc-js';
import { lastValueFrom } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTrainerClient,
  TrainerCallError,
  type TrainerClient,
  type TrainerClientOptions,
} from '../../controller/trainer-client/index.ts';
import {
  callFailure,
  killTrainers,
  LONG,
  spawnTrainer,
  TINY,
  type TrainerProcess,
} from './grpc-helpers.ts';

afterAll(killTrainers);

/** Starts a long trial, waits until its steps flow, does `vanish` to the trainer, and times the failure. */
async function vanishMidTrial(
  vanish: (trainer: TrainerProcess) => void,
  options: Partial<TrainerClientOptions> = {},
  keep?: (client: TrainerClient) => void,
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
    if (keep === undefined) client.close();
    else keep(client);
  }
}

describe('a trainer that vanishes mid-trial', () => {
  it('killed: surfaces within seconds as a retryable UNAVAILABLE', async () => {
    const { err, ms } = await vanishMidTrial((trainer) => trainer.child.kill('SIGKILL'));
    expect(ms).toBeLessThan(5_000);
    expect(err.retryable).toBe(true);
    expect(err.grpcCode).toBe(status.UNAVAILABLE);
  }, 60_000);

  it('frozen: with the default keepalive the trial fails, retryable, within 5 s', async () => {
    const { err, ms } = await vanishMidTrial((trainer) => trainer.child.kill('SIGSTOP'));
    expect(ms).toBeLessThan(5_000);
    expect(err.retryable).toBe(true);
  }, 60_000);

  it('frozen: the next trial to it fails too, retryable, once the connect timeout is over', async () => {
    let client: TrainerClient | undefined;
    const { ms } = await vanishMidTrial(
      (trainer) => trainer.child.kill('SIGSTOP'),
      {},
      (c) => {
        client = c;
      },
    );
    expect(ms).toBeLessThan(5_000);
    if (client === undefined) throw new Error('no client');
    const asked = Date.now();
    // The TCP connection opens (the kernel accepts it) but the frozen server never answers HTTP/2.
    const err = await callFailure(lastValueFrom(client.trial(TINY)));
    expect(Date.now() - asked).toBeLessThan(8_000);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/UNAVAILABLE: (no connection within 5 s|cannot connect)/);
    client.close();
  }, 60_000);
});
