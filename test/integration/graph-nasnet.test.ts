// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * The NASNet network as a graph (trainer/graph/network-graph.ts) must train like the eager network
 * (trainer/network/) stepped by the trainer's own step (trainer/train/train-step.ts): from the same
 * initial weights (copied by name from the eager ParamStore) and the same batches, STEPS steps of
 * momentum SGD with weight decay and clipping give losses within LOSS_TOLERANCE, the same trainable
 * parameter count and names, and weights and BN moving statistics that still agree. Genotypes:
 * NASNet-A and the every-op genotypes (every op at stride 1 and 2, every adjustment kind). Runs
 * where the tensorflow backend and the graph-step addon load; skips elsewhere (fails under CI).
 */
import { describe, expect, it } from 'vitest';
import type { Genotype } from '../../shared/genotype.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork, type NetworkPlan } from '../../shared/network-plan.ts';
import type { GraphAddon, HostTensor } from '../../trainer/graph/graph-addon.ts';
import { floatTensor, intTensor } from '../../trainer/graph/graph-builder.ts';
import { buildNetworkGraph } from '../../trainer/graph/network-graph.ts';
import { paramValues } from '../../trainer/graph/param-values.ts';
import { seededValues } from '../../trainer/graph/seeded-values.ts';
import { GraphTrainer, type ForwardGraph } from '../../trainer/graph/train-graph.ts';
import { buildNetwork, type Network } from '../../trainer/network/network.ts';
import {
  countCorrect,
  momentumOptimizer,
  trainStep,
  type StepSettings,
} from '../../trainer/train/train-step.ts';
import { tf } from '../../trainer/tf.ts';
import {
  everyOpGenotypes,
  opCoverage,
  EVERY_OP_A,
  EVERY_OP_B,
} from '../fixtures/every-op-genotypes.ts';
import { installedGraphAddon } from '../fixtures/graph-addon.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const BATCH = 8;
/** Odd, so the reductions meet odd sizes (factorized reduction's padding, SpaceToBatchND's). */
const IMAGE = 15;
const CLASSES = 10;
const STEPS = 6;
const LEARNING_RATE = 0.05;
const MOMENTUM = 0.9;
const SETTINGS: StepSettings = {
  labelSmoothing: 0,
  auxWeight: 0,
  weightDecay: 5e-4,
  gradClipNorm: 5,
};
/**
 * Largest allowed |graph loss - eager loss| per step. Both run TensorFlow's CPU kernels, mostly
 * the same ones; the differences are float32 rounding (fused xent against logSoftmax, the graph's
 * dilated conv in SpaceToBatchND form against the dilated kernel, the L2Loss-summed clipping norm
 * against a flat sum), which momentum carries forward. Measured: at most 4.8e-6 over the six
 * genotypes (2 cores of an x86-64 CPU, TensorFlow 2.21).
 */
const LOSS_TOLERANCE = 1e-4;
/** Largest allowed |graph - eager| of any weight or BN statistic after STEPS steps (measured 5.7e-6). */
const WEIGHT_TOLERANCE = 2e-4;

const native = TEST_BACKEND === 'node' || TEST_BACKEND === 'node-gpu';
const backend = native ? await loadTestBackend(TEST_BACKEND) : null;
const addon = backend === null ? null : installedGraphAddon();

/** What a case turns on besides the genotype (drop path at progress 0, where keep is 1). */
interface Variant {
  readonly auxHead: boolean;
  readonly auxWeight: number;
  readonly labelSmoothing: number;
  readonly dropPathKeep: number;
}

const PLAIN: Variant = { auxHead: false, auxWeight: 0, labelSmoothing: 0, dropPathKeep: 1 };
const EVERYTHING: Variant = {
  auxHead: true,
  auxWeight: 0.4,
  labelSmoothing: 0.1,
  dropPathKeep: 0.6,
};

function plan(genotype: Genotype, auxHead = false): NetworkPlan {
  return planNetwork(genotype, {
    cells: 1,
    filters: 48,
    imageSize: IMAGE,
    classes: CLASSES,
    skeleton: 'cifar',
    auxHead,
  });
}

interface Batch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

function batches(count: number): Batch[] {
  const pixels = BATCH * IMAGE * IMAGE * 3;
  return Array.from({ length: count }, (_, i) => ({
    images: seededValues(pixels, 100 + i),
    labels: Int32Array.from(seededValues(BATCH, 200 + i), (v) => Math.floor((v + 1) * 5) % 10),
  }));
}

interface Trained {
  readonly losses: number[];
  readonly state: Map<string, Float32Array>;
  /** Inference-mode summed cross-entropy and hits on EVAL_EXAMPLES examples after training. */
  readonly evaluation: { readonly loss: number; readonly correct: number };
}

/** Evaluated after training: fewer than a training batch (the inference graph takes any size). */
const EVAL_EXAMPLES = 5;

function evalBatch(batch: Batch): Batch {
  const pixels = IMAGE * IMAGE * 3;
  return {
    images: batch.images.slice(0, EVAL_EXAMPLES * pixels),
    labels: batch.labels.slice(0, EVAL_EXAMPLES),
  };
}

function largestDifference(
  a: ReadonlyMap<string, Float32Array>,
  b: ReadonlyMap<string, Float32Array>,
) {
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name);
    if (other === undefined || other.length !== values.length) return Infinity;
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (other[i] ?? NaN)))));
  }
  return worst;
}

describe.skipIf(addon === null)(
  `NASNet graph step against the eager step (${TEST_BACKEND})`,
  () => {
    it('the genotypes cover every op at both strides and every adjustment', () => {
      const plans = [NASNET_A, EVERY_OP_A, EVERY_OP_B, ...everyOpGenotypes()].map((g) => plan(g));
      const seen = opCoverage(plans);
      for (const kind of [
        'input:factorized_reduction',
        'output:conv_1x1',
        'output:factorized_reduction',
      ]) {
        expect(seen).toContain(kind);
      }
    });

    const cases: [string, Genotype, Variant][] = [
      ['NASNet-A', NASNET_A, PLAIN],
      ['every-op A', EVERY_OP_A, PLAIN],
      ['every-op B', EVERY_OP_B, PLAIN],
      ...everyOpGenotypes().map((g, i): [string, Genotype, Variant] => [
        `every-op chain ${i}`,
        g,
        PLAIN,
      ]),
      ['NASNet-A + aux head 0.4, label smoothing 0.1, drop path 0.6 at t=0', NASNET_A, EVERYTHING],
    ];
    it.each(cases)(
      `%s, 1@48: ${STEPS} steps agree within ${LOSS_TOLERANCE}`,
      (_, genotype, variant) => {
        if (addon === null) return;
        const p = plan(genotype, variant.auxHead);
        const data = batches(3);
        const network = buildNetwork(p, {
          seed: 11,
          dropout: 0,
          dropPathKeep: variant.dropPathKeep,
        });
        const initial = paramValues(network.params);
        const forward = graphOf(addon, p, variant);
        const trainable = forward.builder.variables.filter((v) => v.trainable);
        const graphCount = trainable.reduce((n, v) => n + v.shape.reduce((a, d) => a * d, 1), 0);
        expect(graphCount).toBe(network.params.trainableCount());
        const names = new Set(forward.builder.variables.map((v) => v.name));
        expect(names).toEqual(new Set(initial.keys()));
        const graph = trainGraph(addon, forward, initial, data, variant);
        const eager = trainEager(network, data, variant);
        network.dispose();
        const worst = Math.max(
          ...graph.losses.map((l, i) => Math.abs(l - (eager.losses[i] ?? NaN))),
        );
        const weights = largestDifference(eager.state, graph.state);
        const evalDiff = Math.abs(graph.evaluation.loss - eager.evaluation.loss);
        process.stdout.write(
          `graph-nasnet ${p.cells.length} cells, ${graphCount} params: losses ` +
            `${graph.losses.map((l) => l.toFixed(4)).join(' ')}; max |loss diff| ` +
            `${worst.toExponential(2)}, max |weight/statistic diff| ${weights.toExponential(2)}, ` +
            `inference loss ${graph.evaluation.loss.toFixed(4)} (diff ${evalDiff.toExponential(2)})\n`,
        );
        expect(graph.losses.every(Number.isFinite)).toBe(true);
        expect(worst).toBeLessThan(LOSS_TOLERANCE);
        expect(weights).toBeLessThan(WEIGHT_TOLERANCE);
      },
    );

    it('drop path is reproducible from the fed seed and progress, and off at progress 0', () => {
      if (addon === null) return;
      const p = plan(NASNET_A);
      const network = buildNetwork(p, { seed: 5, dropout: 0, dropPathKeep: 1 });
      const initial = paramValues(network.params);
      network.dispose();
      const [batch] = batches(1);
      if (batch === undefined) throw new Error('no batch');
      const firstLoss = (variant: Variant, feeds: Record<string, HostTensor>): number => {
        const trainer = GraphTrainer.create(
          addon,
          graphOf(addon, p, variant),
          { learningRate: 0.05, momentum: 0.9 },
          THREADS,
        );
        try {
          trainer.init(initial);
          return trainer.step({ ...inputsOf(batch), ...feeds });
        } finally {
          trainer.close();
        }
      };
      const dropping = { ...PLAIN, dropPathKeep: 0.5 };
      const at = (t: number, seed: number) => ({
        progress: floatTensor([], [t]),
        seed: intTensor([2], [seed, 0]),
      });
      const plain = firstLoss(PLAIN, {});
      expect(firstLoss(dropping, at(0, 1))).toBe(plain);
      const dropped = firstLoss(dropping, at(1, 1));
      expect(dropped).not.toBe(plain);
      expect(firstLoss(dropping, at(1, 1))).toBe(dropped);
      expect(firstLoss(dropping, at(1, 2))).not.toBe(dropped);
    });
  },
);

const THREADS = { intraOpThreads: 2, interOpThreads: 2 };

function graphOf(a: GraphAddon, p: NetworkPlan, v: Variant): ForwardGraph {
  return buildNetworkGraph(a, p, { batch: BATCH, dropout: 0, ...v });
}

function inputsOf(batch: Batch): Record<string, HostTensor> {
  return {
    images: floatTensor([BATCH, IMAGE, IMAGE, 3], batch.images),
    labels: intTensor([BATCH], batch.labels),
  };
}

/** The step order: the batches cycled to STEPS. */
function schedule(data: readonly Batch[]): Batch[] {
  return Array.from({ length: STEPS }, (_, i) => data[i % data.length]).filter(
    (b) => b !== undefined,
  );
}

function trainGraph(
  a: GraphAddon,
  forward: ForwardGraph,
  initial: ReadonlyMap<string, Float32Array>,
  data: readonly Batch[],
  v: Variant,
): Trained {
  const settings = { learningRate: LEARNING_RATE, momentum: MOMENTUM, ...stepSettings(v) };
  const trainer = GraphTrainer.create(a, forward, settings, THREADS);
  try {
    trainer.init(initial);
    const losses = schedule(data).map((batch) => trainer.step(inputsOf(batch)));
    const held = evalBatch(data[0] ?? { images: new Float32Array(), labels: new Int32Array() });
    const evaluation = trainer.evaluate({
      images: floatTensor([EVAL_EXAMPLES, IMAGE, IMAGE, 3], held.images),
      labels: intTensor([EVAL_EXAMPLES], held.labels),
    });
    return { losses, state: trainer.state(), evaluation };
  } finally {
    trainer.close();
  }
}

function trainEager(network: Network, data: readonly Batch[], v: Variant): Trained {
  const optimizer = momentumOptimizer(network, LEARNING_RATE, MOMENTUM);
  const losses = schedule(data).map((batch) => {
    const images = tf.tensor4d(batch.images, [BATCH, IMAGE, IMAGE, 3]);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const { loss } = trainStep(network, optimizer, { images, labels }, stepSettings(v), 0);
    tf.dispose([images, labels]);
    return loss;
  });
  optimizer.dispose();
  return { losses, state: paramValues(network.params), evaluation: evaluateEager(network, data) };
}

/** The eager network in inference mode, as trainer/train/evaluate.ts evaluates a batch. */
function evaluateEager(network: Network, data: readonly Batch[]): Trained['evaluation'] {
  const held = evalBatch(data[0] ?? { images: new Float32Array(), labels: new Int32Array() });
  const [loss, correct] = tf.tidy(() => {
    const images = tf.tensor4d(held.images, [EVAL_EXAMPLES, IMAGE, IMAGE, 3]);
    const labels = tf.tensor1d(held.labels, 'int32');
    const { logits } = network.apply(images, { training: false, progress: 0 });
    const onehot = tf.oneHot(labels, CLASSES).toFloat();
    const perExample = tf.losses.softmaxCrossEntropy(
      onehot,
      logits,
      undefined,
      0,
      tf.Reduction.NONE,
    );
    return [
      tf.sum(perExample).dataSync()[0] ?? NaN,
      countCorrect(logits, labels).dataSync()[0] ?? NaN,
    ];
  });
  return { loss, correct };
}

function stepSettings(v: Variant): StepSettings {
  return { ...SETTINGS, auxWeight: v.auxWeight, labelSmoothing: v.labelSmoothing };
}
