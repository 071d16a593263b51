/**
 * The graph training step inside a trial (docs/graph-step.md): which step a trial trains with,
 * chosen once from its `trainStep` setting, the backend and the addon; and the graph path itself —
 * the network built as one TensorFlow graph, initialised from the eager network's weights, stepped
 * with one native call, and its weights and BN statistics copied back before the eager network
 * validates, evaluates or exports.
 */
import { availableParallelism } from 'node:os';
import { InvalidValueError } from '../../shared/errors.ts';
import type { NetworkPlan } from '../../shared/network-plan.ts';
import type { TrainingSettings } from '../../shared/training-settings.ts';
import { loadGraphAddon, type GraphAddon } from '../graph/graph-addon.ts';
import { floatTensor, intTensor } from '../graph/graph-builder.ts';
import { buildNetworkGraph } from '../graph/network-graph.ts';
import { loadParamValues, paramValues } from '../graph/param-values.ts';
import { GraphTrainer } from '../graph/train-graph.ts';
import type { Network } from '../network/network.ts';
import { deriveSeed } from '../network/seeds.ts';
import type { Tensor1D, Tensor4D } from '../tf.ts';
import type { StepOutcome } from './train-step.ts';

/** The step a trial trains with: the graph (with the loaded addon) or eager tfjs. */
export type StepChoice =
  | { readonly kind: 'graph'; readonly addon: GraphAddon }
  | { readonly kind: 'eager'; readonly why: string };

/**
 * The step for `training` on the tfjs backend named `backend`: graph where asked for (or `auto`)
 * and possible; eager otherwise. An explicit `graph` that cannot run throws InvalidValueError
 * (path `training.trainStep`) with the reason.
 */
export function chooseTrainStep(training: TrainingSettings, backend: string): StepChoice {
  if (training.trainStep === 'eager') return { kind: 'eager', why: 'asked for' };
  const why = graphObstacle(training, backend);
  if (why.addon !== null) return { kind: 'graph', addon: why.addon };
  if (training.trainStep === 'auto') return { kind: 'eager', why: why.reason };
  const message = `the graph step cannot run here: ${why.reason}; use eager or auto`;
  throw new InvalidValueError('training settings', [{ path: 'training.trainStep', message }]);
}

function graphObstacle(
  training: TrainingSettings,
  backend: string,
): { readonly addon: GraphAddon; reason: '' } | { readonly addon: null; readonly reason: string } {
  if (backend !== 'tensorflow') {
    return { addon: null, reason: `it needs the tensorflow (native) backend, not ${backend}` };
  }
  if (training.dropout !== 0) {
    return { addon: null, reason: `it does not build dropout (${training.dropout}) yet` };
  }
  try {
    return { addon: loadGraphAddon(), reason: '' };
  } catch (err) {
    return { addon: null, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** One batch as the trainer's eager step takes it. */
export interface TensorBatch {
  readonly images: Tensor4D;
  readonly labels: Tensor1D;
}

/** A trial's graph step: built once, stepped per batch, copied back into the eager network. */
export class GraphStep {
  private constructor(
    private readonly trainer: GraphTrainer,
    private readonly seed: number,
    /** Milliseconds to build the graph, its optimiser and session, and load the initial weights. */
    readonly buildMs: number,
  ) {}

  /** Builds `plan`'s training graph for full batches of `batch` and loads `network`'s weights into it. */
  static create(
    addon: GraphAddon,
    plan: NetworkPlan,
    network: Network,
    training: TrainingSettings,
    batch: number,
  ): GraphStep {
    const started = performance.now();
    const forward = buildNetworkGraph(addon, plan, {
      batch,
      dropPathKeep: training.dropPathKeep,
      dropout: training.dropout,
      labelSmoothing: training.labelSmoothing,
      auxWeight: training.auxWeight,
    });
    const threads = Number(process.env['TF_NUM_INTRAOP_THREADS']) || availableParallelism();
    const trainer = GraphTrainer.create(
      addon,
      forward,
      {
        learningRate: training.learningRate,
        momentum: training.momentum,
        weightDecay: training.weightDecay,
        gradClipNorm: training.gradClipNorm,
      },
      // Grappler off: it adds seconds to the first step and did not speed later ones (docs/graph-step.md).
      { intraOpThreads: threads, interOpThreads: threads, graphOptimizer: false },
    );
    try {
      trainer.init(paramValues(network.params));
    } catch (err) {
      trainer.close();
      throw err;
    }
    return new GraphStep(trainer, training.seed, performance.now() - started);
  }

  /** Trains one full batch at `learningRate` and training progress `progress` (t/T), step `step`. */
  run(batch: TensorBatch, learningRate: number, progress: number, step: number): StepOutcome {
    const outcome = this.trainer.run(
      {
        images: floatTensor(batch.images.shape, batch.images.dataSync()),
        labels: intTensor(batch.labels.shape, batch.labels.dataSync()),
        progress: floatTensor([], [progress]),
        // The addon feeds int32: the derived unsigned seed wraps, as any 32 bits are a seed.
        seed: intTensor([2], [deriveSeed(this.seed, step) | 0, 0]),
      },
      learningRate,
    );
    return { loss: outcome.loss, correct: outcome.metrics['correct'] ?? 0 };
  }

  /** Copies the graph's weights and BN statistics into `network` (before it evaluates or exports). */
  copyBack(network: Network): void {
    loadParamValues(network.params, this.trainer.state());
  }

  /** Closes the graph's session. */
  close(): void {
    this.trainer.close();
  }
}
