/**
 * How much memory a trial needs, estimated from its network plan, training settings and dataset
 * spec before anything is built or read: weights, their gradients and momentum, the activations a
 * training step keeps for backprop, and the dataset held in memory. Trainers refuse what exceeds
 * their limit (trainer/server/admission.ts); the controller refuses what fits no trainer.
 */
import { planComplexity, type Complexity } from './complexity.ts';
import { datasetFacts } from './dataset-facts.ts';
import type { DatasetSpec } from './dataset-spec.ts';
import { planNetwork, type NetworkPlan } from './network-plan.ts';
import { activationElements, type Tally } from './activation-count.ts';
import type { TrainingSettings } from './training-settings.ts';
import type { TrialRequest } from './trial.ts';

/** Bytes of one float32 value, the type of every tensor a trainer makes. */
const FLOAT_BYTES = 4;

/**
 * Live activations at a training step's peak per activation the forward pass keeps: those tensors
 * stay alive until the gradients are computed (tf.variableGrads frees them only at its end), and
 * backprop adds gradients and temporaries while it walks back. With this factor and
 * {@link OPTIMIZER_COPIES}, the estimate of tiny real networks on wasm measured 0.73 to 1.06 times
 * their peak tensor bytes (test/integration/memory-estimate.test.ts); limits leave room for that.
 */
export const BACKPROP_FACTOR = 2;

/**
 * Copies of the trainable weights the optimiser holds at its peak besides the weights themselves:
 * each variable's gradient, the flat gradient, the flat weights, the decayed and clipped gradient,
 * the momentum, and the new weights before they are split back (trainer/train/flat-momentum.ts).
 */
export const OPTIMIZER_COPIES = 7;

/** The estimate, in bytes, part by part. */
export interface MemoryEstimate {
  readonly totalBytes: number;
  readonly parts: {
    /** Trainable weights and BN statistics. */
    readonly weights: number;
    /** Gradients, momentum and the update's flat copies ({@link OPTIMIZER_COPIES}). */
    readonly optimizer: number;
    /** Activations of one training step at the batch size, kept for backprop. */
    readonly activations: number;
    /** The dataset's images as the trainer holds them (bytes), the validation split's copy included. */
    readonly dataset: number;
  };
  /** The largest single array the trial needs (elements) and what it holds. */
  readonly largestArray: { readonly elements: number; readonly what: string };
  /** What the estimate leaves out because only reading the dataset tells; '' when nothing. */
  readonly unknown: string;
}

/**
 * Estimates the memory of training `plan` with `training` on `dataset`; `cost` is the plan's own
 * complexity, passed by a caller that already walked it.
 */
export function estimateTrialMemory(
  plan: NetworkPlan,
  training: TrainingSettings,
  dataset: DatasetSpec,
  cost: Complexity = planComplexity(plan),
): MemoryEstimate {
  const batch = training.batchSize;
  const tally = activationElements(plan);
  const data = datasetBytes(dataset, training.validationSize);
  const parts = {
    weights: (cost.params + cost.bnStatistics) * FLOAT_BYTES,
    optimizer: OPTIMIZER_COPIES * cost.params * FLOAT_BYTES,
    activations: batch * tally.total * FLOAT_BYTES * BACKPROP_FACTOR,
    dataset: data.bytes,
  };
  const totalBytes = parts.weights + parts.optimizer + parts.activations + parts.dataset;
  return { totalBytes, parts, largestArray: largestOf(batch, tally, data), unknown: data.unknown };
}

/**
 * Estimates a trial request as a trainer would run it: the network planned for the image shape and
 * classes its dataset spec names. Throws InvalidValueError when the network does not fit the
 * images (as the trainer would after reading them).
 */
export function estimateRequestMemory(request: TrialRequest): MemoryEstimate {
  return estimateTrialMemory(planRequest(request), request.training, request.dataset);
}

/**
 * The network of `request` for its dataset. An image folder's classes are unknown until read: two
 * (the fewest a classifier has) stand in; only the head's small dense layer depends on them.
 */
export function planRequest(request: TrialRequest): NetworkPlan {
  const facts = datasetFacts(request.dataset);
  return planNetwork(request.genotype, {
    ...request.network,
    imageSize: facts.image.height,
    channels: facts.image.channels,
    classes: facts.classes ?? 2,
  });
}

interface DatasetBytes {
  readonly bytes: number;
  readonly trainElements: number;
  readonly unknown: string;
}

/**
 * Bytes of the dataset in memory: readers keep one byte per pixel and channel (trainer/data/), and
 * holding out a validation split copies the training split once more (trainer/data/validation-split.ts).
 */
function datasetBytes(spec: DatasetSpec, validationSize: number): DatasetBytes {
  const facts = datasetFacts(spec);
  const { height, width, channels } = facts.image;
  const perImage = height * width * channels;
  if (facts.trainCount === null) {
    const unknown = `the ${spec.kind} dataset's size (unknown until it is read)`;
    return { bytes: 0, trainElements: 0, unknown };
  }
  const trainCopies = validationSize > 0 ? 2 : 1;
  const images = facts.trainCount * trainCopies + (facts.testCount ?? 0);
  return { bytes: images * perImage, trainElements: facts.trainCount * perImage, unknown: '' };
}

function largestOf(
  batch: number,
  tally: Tally,
  data: DatasetBytes,
): MemoryEstimate['largestArray'] {
  const activation = batch * tally.largest;
  if (data.trainElements > activation)
    return { elements: data.trainElements, what: 'the training split' };
  return { elements: activation, what: `one activation at batch size ${batch}` };
}
