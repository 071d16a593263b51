/**
 * One SGD step: forward in training mode, cross-entropy (optionally label-smoothed) plus the aux
 * head's weighted loss plus L2 weight decay, gradients, global-norm clipping, and the update
 * (the last three in ./flat-momentum.ts, on all parameters as one vector).
 */
import { tf, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf.ts';
import type { Network } from '../network/network.ts';
import { FlatMomentum } from './flat-momentum.ts';

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
export type Optimizer = FlatMomentum;

/** A momentum optimiser for every trainable parameter of `network`. */
export function momentumOptimizer(
  network: Network,
  learningRate: number,
  momentum: number,
): Optimizer {
  return new FlatMomentum(network.params.list(), momentum, learningRate);
}

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
    const variables = [...optimizer.trainable()];
    const { value, grads } = tf.variableGrads(() => {
      const { logits, auxLogits } = network.apply(batch.images, { training: true, progress });
      kept.correct = tf.keep(countCorrect(logits, batch.labels));
      return dataLoss(logits, auxLogits, batch.labels, settings);
    }, variables);
    const flat = optimizer.flatWeights();
    const total =
      settings.weightDecay > 0
        ? tf.add(value, optimizer.decayLoss(flat, settings.weightDecay))
        : value;
    if (!Number.isFinite(total.dataSync()[0] ?? Number.NaN)) return tf.keep(total);
    // A weight the loss does not reach (the adjustment of a cell input no block reads, where
    // no checkpoint supplies zeros) has no gradient: zero, as an optimiser skipping it behaves.
    const ordered = variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
    optimizer.apply(ordered, flat, settings);
    return tf.keep(total);
  });
  const lossValue = loss.dataSync()[0] ?? Number.NaN;
  loss.dispose();
  const correctValue = kept.correct?.dataSync()[0] ?? 0;
  kept.correct?.dispose();
  return { loss: lossValue, correct: correctValue };
}

/**
 * Main-head cross-entropy + auxWeight x aux cross-entropy; the L2 term (weightDecay/2 x sum of
 * squared kernels, slim.l2_regularizer as in the released NASNet training) is added by the
 * optimiser, which also adds its gradient.
 */
function dataLoss(
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
  return loss;
}

/** How many rows of `logits` have their maximum at the label. */
export function countCorrect(logits: Tensor2D, labels: Tensor1D): tf.Scalar {
  return tf.sum(tf.equal(tf.argMax(logits, 1), labels.toInt()).toFloat());
}

/** Frees an optimiser completely. */
export function disposeOptimizer(optimizer: Optimizer): void {
  optimizer.dispose();
}
