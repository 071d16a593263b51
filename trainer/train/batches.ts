/** Batching helpers: epoch orders, index ranges, and a batch of a split as tensors. */
import type { Rng } from '../../shared/rng.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import type { ImageSplit } from '../data/image-dataset.ts';
import { tf, type Tensor1D, type Tensor4D } from '../tf.ts';
import { batchImages, type Augmentation } from './batch-images.ts';

/** A batch ready for the network: NHWC float images and integer labels. */
export interface TensorBatch {
  readonly images: Tensor4D;
  readonly labels: Tensor1D;
}

/** A seeded Fisher-Yates permutation of 0 .. count-1. */
export function shuffledOrder(count: number, rng: Rng): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order;
}

/** `order` cut into consecutive batches of `size` (the last one may be smaller). */
export function chunk(order: readonly number[], size: number): number[][] {
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
  return batches;
}

/** The examples at `indices` as tensors; the caller disposes them. */
export function tensorBatch(
  split: ImageSplit,
  indices: readonly number[],
  stats: ChannelStats,
  augmentation: Augmentation,
  rng: Rng,
): TensorBatch {
  const { height, width, channels } = split.shape;
  const pixels = batchImages(split, indices, stats, augmentation, rng);
  const labels = Int32Array.from(indices, (i) => split.labels[i] ?? 0);
  return {
    images: tf.tensor4d(pixels, [indices.length, height, width, channels]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}
