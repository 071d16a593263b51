/** Evaluation of a network on a whole split in inference mode: mean cross-entropy and accuracy. */
import { createRng } from '../../shared/rng.ts';
import type { Network } from '../network/network.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import type { ImageSplit } from '../data/image-dataset.ts';
import { tf } from '../tf.ts';
import { NO_AUGMENTATION } from './batch-images.ts';
import { chunk, tensorBatch } from './batches.ts';
import { countCorrect } from './train-step.ts';

/** Mean loss and accuracy over a split. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
}

/** Evaluates `network` on every example of `split`, `batchSize` at a time, yielding to the event loop between batches. */
export async function evaluate(
  network: Network,
  split: ImageSplit,
  stats: ChannelStats,
  batchSize: number,
): Promise<Evaluation> {
  const order = Array.from({ length: split.count }, (_, i) => i);
  const rng = createRng(0); // unused without augmentation, but batchImages takes one
  let loss = 0;
  let correct = 0;
  for (const indices of chunk(order, batchSize)) {
    const batch = tensorBatch(split, indices, stats, NO_AUGMENTATION, rng);
    const [sumLoss, right] = tf.tidy((): [tf.Scalar, tf.Scalar] => {
      const { logits } = network.apply(batch.images, { training: false, progress: 0 });
      const onehot = tf.oneHot(batch.labels, logits.shape[1]).toFloat();
      const perExample = tf.losses.softmaxCrossEntropy(
        onehot,
        logits,
        undefined,
        0,
        tf.Reduction.NONE,
      );
      return [tf.sum(perExample), countCorrect(logits, batch.labels)];
    });
    loss += (await sumLoss.data())[0] ?? Number.NaN;
    correct += (await right.data())[0] ?? 0;
    tf.dispose([sumLoss, right, batch.images, batch.labels]);
    await yieldToEventLoop();
  }
  return { loss: loss / split.count, accuracy: correct / split.count };
}

/** Lets pending I/O (a gRPC cancel, a signal) run between compute-bound steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
