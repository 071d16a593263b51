/**
 * Running a saved model over many images, a batch at a time: class probabilities per image
 * (predict), and accuracy and mean cross-entropy over a labelled split (evaluate). Inputs are the
 * raw pixel bytes; the model normalises them itself.
 */
import type { ImageShape, ImageSplit } from '../data/image-dataset.ts';
import { imageBytes } from '../data/image-dataset.ts';
import { tf } from '../tf.ts';
import type { Tensor, Tensor2D } from '../tf.ts';
import { EmptySplitError } from './errors.ts';
import type { SavedModel } from './saved-model.ts';

/** The model's answer for one image. */
export interface Prediction {
  /** The most probable class. */
  readonly class: number;
  readonly probability: number;
  /** Every class's probability. */
  readonly probabilities: readonly number[];
}

/** Accuracy and mean cross-entropy over a split. */
export interface ModelEvaluation {
  readonly count: number;
  readonly correct: number;
  /** correct / count. */
  readonly accuracy: number;
  readonly loss: number;
}

/** Class probabilities of each of the `count` images in `pixels` (NHWC bytes), `batchSize` at a time. */
export async function predictImages(
  saved: SavedModel,
  pixels: Uint8Array,
  batchSize: number,
): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (const batch of batches(pixels, saved.input, batchSize)) {
    const probs = tf.tidy(() => run(saved.model, batch()));
    const rows = await probs.array();
    probs.dispose();
    for (const row of rows) {
      const best = row.reduce((b, p, i) => (p > (row[b] ?? -1) ? i : b), 0);
      out.push({ class: best, probability: row[best] ?? 0, probabilities: row });
    }
  }
  return out;
}

/**
 * Accuracy and mean cross-entropy of the model on `split`: from the logits when the model names
 * them (as the trainer computes them), else from the probabilities. Throws EmptySplitError for a
 * split with no images (its mean loss would be 0/0).
 */
export async function evaluateModel(
  saved: SavedModel,
  split: ImageSplit,
  batchSize: number,
): Promise<ModelEvaluation> {
  if (split.count === 0) throw new EmptySplitError('nothing to evaluate: the split');
  let loss = 0;
  let correct = 0;
  let start = 0;
  for (const batch of batches(split.images, saved.input, batchSize)) {
    const images = batch();
    const labels = tf.tensor1d(
      Int32Array.from(split.labels.subarray(start, start + images.shape[0])),
      'int32',
    );
    start += images.shape[0];
    const [sum, right] = tf.tidy(() => batchScores(saved, images, labels));
    loss += (await sum.data())[0] ?? Number.NaN;
    correct += (await right.data())[0] ?? 0;
    tf.dispose([sum, right, images, labels]);
  }
  const count = split.count;
  return { count, correct, accuracy: correct / count, loss: loss / count };
}

/** Summed cross-entropy and number of correct answers of one batch. */
function batchScores(
  saved: SavedModel,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): [tf.Scalar, tf.Scalar] {
  const onehot = tf.oneHot(labels, saved.classes).toFloat();
  if (saved.logits !== null) {
    const logits = run(saved.logits, images);
    const perExample = tf.losses.softmaxCrossEntropy(
      onehot,
      logits,
      undefined,
      0,
      tf.Reduction.NONE,
    );
    return [tf.sum(perExample), countCorrect(logits, labels)];
  }
  const probs = run(saved.model, images);
  const picked = tf.sum(tf.mul(probs, onehot), 1);
  return [tf.neg(tf.sum(tf.log(tf.maximum(picked, 1e-12)))), countCorrect(probs, labels)];
}

function countCorrect(scores: Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.equal(tf.argMax(scores, 1), labels).toFloat());
}

function run(model: tf.LayersModel, images: Tensor): Tensor2D {
  const out = model.predict(images);
  if (!(out instanceof tf.Tensor) || out.rank !== 2)
    throw new Error('the model must give one [batch, classes] output');
  return out.as2D(out.shape[0] ?? 0, out.shape[1] ?? 0);
}

/** Makers of float32 NHWC batches of at most `size` images of `shape` from `pixels`. */
function batches(pixels: Uint8Array, shape: ImageShape, size: number): (() => tf.Tensor4D)[] {
  const bytes = imageBytes(shape);
  const count = pixels.length / bytes;
  const makers: (() => tf.Tensor4D)[] = [];
  for (let first = 0; first < count; first += size) {
    const n = Math.min(size, count - first);
    const data = pixels.subarray(first * bytes, (first + n) * bytes);
    makers.push(() =>
      tf.tensor4d(Float32Array.from(data), [n, shape.height, shape.width, shape.channels]),
    );
  }
  return makers;
}
