/**
 * One SGD step: forward in training mode, cross-entropy (optionally label-smoothed) plus the aux
 * head's weighted loss plus L2 weight decay, gradients, global-norm clipping, and the update.
 */
import { tf, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf.ts';
import type { Network } from '../build/network.ts';

/** The parts of the training settings a step uses. */
export interface StepSettings {
  readonly labelSmoothing: number;
  readonly auxWeight: number;
  readonly weightDecay: number;
  readonly gradClipNorm: number;
}

/** What a step reports: the batch's total loss and how many examples the main head got right. */
export interface StepOutcome {
  readonly loss: number;
  readonly correct: number;
}

/** The momentum SGD optimiser the trainer uses (its learning rate is set each step). */
export type Optimizer = ReturnType<typeof tf.train.momentum>;

/**
 * Trains `network` on one batch at training progress `progress` (t/T). A non-finite loss is
 * reported without updating any weight, so the caller can end the trial with that reason.
 */
export function trainStep(
  network: Network,
  optimizer: Optimizer,
  batch: { readonly images: Tensor4D; readonly labels: Tensor1D },
  settings: StepSettings,
  progress: number,
): StepOutcome {
  const kept: { correct: tf.Scalar | null } = { correct: null };
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const { logits, auxLogits } = network.apply(batch.images, { training: true, progress });
      kept.correct = tf.keep(countCorrect(logits, batch.labels));
      return totalLoss(network, logits, auxLogits, batch.labels, settings);
    }, network.params.trainable());
    if (!Number.isFinite(value.dataSync()[0] ?? Number.NaN)) return tf.keep(value);
    optimizer.applyGradients(clipByGlobalNorm(grads, settings.gradClipNorm));
    return tf.keep(value);
  });
  const lossValue = loss.dataSync()[0] ?? Number.NaN;
  loss.dispose();
  const correctValue = kept.correct?.dataSync()[0] ?? 0;
  kept.correct?.dispose();
  return { loss: lossValue, correct: correctValue };
}

/** Main-head cross-entropy + auxWeight x aux cross-entropy + weightDecay/2 x sum of squared kernels. */
function totalLoss(
  network: Network,
  logits: Tensor2D,
  auxLogits: Tensor2D | null,
  labels: Tensor1D,
  s: StepSettings,
): tf.Scalar {
  const onehot = tf.oneHot(labels.toInt(), logits.shape[1]).toFloat();
  let loss: tf.Scalar = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, s.labelSmoothing);
  if (auxLogits !== null && s.auxWeight > 0) {
    const aux = tf.losses.softmaxCrossEntropy(onehot, auxLogits, undefined, s.labelSmoothing);
    loss = loss.add(aux.mul(s.auxWeight));
  }
  const decayed = network.params.decayed();
  if (s.weightDecay > 0 && decayed.length > 0) {
    // slim.l2_regularizer(wd): wd * l2_loss(w) = wd * sum(w^2) / 2, as in the released NASNet training.
    const l2 = tf.addN(decayed.map((v) => tf.sum(tf.square(v))));
    loss = loss.add(l2.mul(s.weightDecay / 2));
  }
  return loss;
}

/** How many rows of `logits` have their maximum at the label. */
export function countCorrect(logits: Tensor2D, labels: Tensor1D): tf.Scalar {
  return tf.sum(tf.equal(tf.argMax(logits, 1), labels.toInt()).toFloat());
}

/** Scales every gradient by clip / max(norm, clip), where norm is the global L2 norm (0 = no clipping). */
function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  clip: number,
): { name: string; tensor: tf.Tensor }[] {
  const named = Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
  if (clip <= 0) return named;
  const norm = tf.sqrt(tf.addN(named.map(({ tensor }) => tf.sum(tf.square(tensor)))));
  const scale = tf.div(clip, tf.maximum(norm, clip));
  return named.map(({ name, tensor }) => ({ name, tensor: tf.mul(tensor, scale) }));
}

/**
 * Frees an optimiser completely. tfjs 4.22's MomentumOptimizer.dispose() frees its accumulators
 * but not the learning-rate scalar it inherits from SGDOptimizer, so that one is freed here too.
 */
export function disposeOptimizer(optimizer: Optimizer): void {
  optimizer.dispose();
  tf.SGDOptimizer.prototype.dispose.call(optimizer);
}
