/** One epoch of training: seeded shuffle, augmented batches, cosine learning rate per step, then validation. */
import { createRng, type Rng } from '../../shared/rng.ts';
import type { Network } from '../network/network.ts';
import { chunk, shuffledOrder, tensorBatch } from './batches.ts';
import { evaluate, yieldToEventLoop } from './evaluate.ts';
import type { PreparedData } from './prepared-data.ts';
import { cosineLearningRate } from './schedules.ts';
import { trainStep, type Optimizer } from './train-step.ts';
import type { EpochMetrics, TrialRequest } from '../../shared/trial.ts';
import type { TrialContext } from './trial.ts';
import type { GraphStep } from './graph-step.ts';

/** What one epoch ended with. */
export type EpochOutcome =
  | { readonly kind: 'done'; readonly metrics: EpochMetrics }
  | { readonly kind: 'failed' | 'cancelled'; readonly reason: string };

/** Everything an epoch needs. */
export interface EpochJob {
  readonly request: TrialRequest;
  readonly data: PreparedData;
  readonly network: Network;
  readonly optimizer: Optimizer;
  readonly context: TrialContext;
  /** 1-based. */
  readonly epoch: number;
  readonly stepsPerEpoch: number;
  /** The graph step, where the trial trains with it (else the eager step with `optimizer`). */
  readonly graph?: GraphStep | null;
}

/** Trains one epoch of `stepsPerEpoch` full batches (incomplete batches are dropped), then validates. */
export async function trainEpoch(job: EpochJob): Promise<EpochOutcome> {
  const { request, data, network, optimizer, context, epoch, stepsPerEpoch, graph } = job;
  const t = request.training;
  const started = performance.now();
  const rng = createRng(t.seed * 100_003 + epoch);
  const batches = epochBatches(data.train.count, t.batchSize, stepsPerEpoch, rng);
  const totalSteps = stepsPerEpoch * t.epochs;
  const augmentation = { pad: t.augmentCrop ? 4 : 0, flip: t.augmentFlip, cutout: t.cutout };
  let loss = 0;
  let correct = 0;
  let seen = 0;
  for (const [i, indices] of batches.entries()) {
    if (context.signal?.aborted === true)
      return { kind: 'cancelled', reason: cancelReason(context.signal) };
    const step = (epoch - 1) * stepsPerEpoch + i;
    const rate = cosineLearningRate(t.learningRate, step, totalSteps);
    const batch = tensorBatch(data.train, indices, data.stats, augmentation, rng);
    let outcome;
    if (graph === undefined || graph === null) {
      optimizer.setLearningRate(rate);
      outcome = trainStep(network, optimizer, batch, t, step / totalSteps);
    } else {
      outcome = graph.run(batch, rate, step / totalSteps, step);
    }
    batch.images.dispose();
    batch.labels.dispose();
    if (!Number.isFinite(outcome.loss)) {
      return {
        kind: 'failed',
        reason: `loss became ${outcome.loss} at epoch ${epoch}, step ${i + 1}`,
      };
    }
    loss += outcome.loss * indices.length;
    correct += outcome.correct;
    seen += indices.length;
    context.onStep?.(step + 1, totalSteps, { loss: loss / seen, accuracy: correct / seen });
    await yieldToEventLoop();
  }
  const trainSeconds = (performance.now() - started) / 1000;
  // The eager network validates, evaluates and exports: it takes the graph's trained state first.
  graph?.copyBack(network);
  const validation =
    data.validation === null
      ? null
      : await evaluate(network, data.validation, data.stats, t.batchSize);
  return {
    kind: 'done',
    metrics: {
      epoch,
      trainLoss: loss / seen,
      trainAccuracy: correct / seen,
      validationLoss: validation?.loss ?? Number.NaN,
      validationAccuracy: validation?.accuracy ?? Number.NaN,
      learningRate: cosineLearningRate(t.learningRate, epoch * stepsPerEpoch, totalSteps),
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: seen / trainSeconds,
    },
  };
}

/** `steps` batches of shuffled indices; passes over the data are chained when one pass is not enough. */
function epochBatches(count: number, batchSize: number, steps: number, rng: Rng): number[][] {
  const batches: number[][] = [];
  while (batches.length < steps) {
    const full = chunk(shuffledOrder(count, rng), Math.min(batchSize, count)).filter(
      (b) => b.length === Math.min(batchSize, count),
    );
    batches.push(...full.slice(0, steps - batches.length));
  }
  return batches;
}

/** The reason an aborted trial was cancelled with, as its result says it. */
export function cancelReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason.message
    : typeof reason === 'string'
      ? reason
      : 'cancelled';
}
