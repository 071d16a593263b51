/**
 * Measured inference latency on the trainer's device. Multiply-adds alone do not predict real speed
 * for multi-branch cells, so every result carries the time a forward pass takes at batch 1 and at
 * the training batch size.
 */
import type { Network } from '../network/network.ts';
import { tf } from '../tf.ts';
import type { Latency } from '../../shared/trial.ts';

/** Warm-up runs before timing (first calls compile kernels and allocate). */
const WARMUP = 2;

/** Median forward time, in milliseconds, of `network` in inference mode at batch 1 and at `batchSize`. */
export async function measureLatency(
  network: Network,
  batchSize: number,
  runs = 5,
): Promise<Latency> {
  return {
    batch1Ms: await medianForwardMs(network, 1, runs),
    batchMs: await medianForwardMs(network, batchSize, Math.max(2, Math.ceil(runs / 2))),
    batchSize,
  };
}

async function medianForwardMs(network: Network, batch: number, runs: number): Promise<number> {
  const { height, width, channels } = network.plan.stem.input;
  const input = tf.randomNormal<tf.Rank.R4>([batch, height, width, channels], 0, 1, 'float32', 1);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const start = performance.now();
    const logits = tf.tidy(() => network.apply(input, { training: false, progress: 0 }).logits);
    await logits.data(); // waits for the device, so GPU time is included
    logits.dispose();
    if (i >= WARMUP) times.push(performance.now() - start);
  }
  input.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
