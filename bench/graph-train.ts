/**
 * Training steps per second of the NASNet graph step (trainer/graph/network-graph.ts, one
 * TF_SessionRun per step) against the trainer's eager step (trainer/train/train-step.ts on
 * tfjs-node), both from the same initial weights and batches, on the tiny child (NASNet-A 1@48,
 * 28x28x1) and NASNet-A 2@384 (32x32x3), batch 64, as medians of interleaved steps; and the time
 * to build each graph (ops, gradients, optimiser) and to run its first step (session set-up and
 * graph optimisation).
 * Needs install-tensorflow's binding and the built addon.
 * Run: npx tsx bench/graph-train.ts [--steps 5] [--warmup 1] [--quick] [--no-grappler]
 *   --quick: the tiny child at batch 8, 16x16 input, 2 steps — a smoke run of seconds.
 *   --no-grappler: sessions without grappler's meta optimizer (session-config.ts).
 */
import { availableParallelism } from 'node:os';
import { NASNET_A } from '../shared/known-genotypes.ts';
import { planNetwork, type NetworkSettingsInput } from '../shared/network-plan.ts';
import { DEFAULT_TRAINING } from '../shared/training-settings.ts';
import { setupBackend } from '../trainer/backend.ts';
import { loadGraphAddon, type GraphAddon } from '../trainer/graph/graph-addon.ts';
import { floatTensor, intTensor } from '../trainer/graph/graph-builder.ts';
import { buildNetworkGraph } from '../trainer/graph/network-graph.ts';
import { paramValues } from '../trainer/graph/param-values.ts';
import { seededValues } from '../trainer/graph/seeded-values.ts';
import { GraphTrainer } from '../trainer/graph/train-graph.ts';
import { buildNetwork } from '../trainer/network/network.ts';
import { tf } from '../trainer/tf.ts';
import { momentumOptimizer, trainStep, type StepSettings } from '../trainer/train/train-step.ts';
import { NETWORK, TINY } from './bench-networks.ts';

interface Case {
  readonly label: string;
  readonly settings: NetworkSettingsInput;
  readonly batch: number;
}

interface Batch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

const STEP: StepSettings = {
  labelSmoothing: 0,
  auxWeight: 0,
  weightDecay: DEFAULT_TRAINING.weightDecay,
  gradClipNorm: DEFAULT_TRAINING.gradClipNorm,
};
const LEARNING_RATE = 0.025;
const NO_GRAPPLER = process.argv.includes('--no-grappler');
const MOMENTUM = 0.9;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be an integer >= 0`);
  return value;
}

function batchesOf(c: Case, count: number): Batch[] {
  const { imageSize: s, channels = 3 } = c.settings;
  return Array.from({ length: count }, (_, i) => ({
    images: seededValues(c.batch * s * s * channels, 10 + i),
    labels: Int32Array.from(seededValues(c.batch, 20 + i), (v) => Math.floor((v + 1) * 5) % 10),
  }));
}

/** The median of `values` (sorted copy). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Milliseconds `run` took. */
function clock(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** The two steps of one case and what building the graph cost. */
interface Steppers {
  readonly graph: (i: number) => void;
  readonly eager: (i: number) => void;
  readonly buildMs: number;
  readonly ops: number;
  readonly close: () => void;
}

function steppers(addon: GraphAddon, c: Case): Steppers {
  const plan = planNetwork(NASNET_A, c.settings);
  const { imageSize: s, channels = 3 } = c.settings;
  const data = batchesOf(c, 2);
  const feed = (i: number): Batch =>
    data[i % 2] ?? { images: new Float32Array(), labels: new Int32Array() };
  const network = buildNetwork(plan, { seed: 3, dropout: 0, dropPathKeep: 1 });
  const initial = paramValues(network.params);
  const built = performance.now();
  const forward = buildNetworkGraph(addon, plan, { batch: c.batch, dropPathKeep: 1, dropout: 0 });
  const threads = availableParallelism();
  const trainer = GraphTrainer.create(
    addon,
    forward,
    { learningRate: LEARNING_RATE, momentum: MOMENTUM, ...STEP },
    { intraOpThreads: threads, interOpThreads: threads, graphOptimizer: !NO_GRAPPLER },
  );
  const buildMs = performance.now() - built;
  trainer.init(initial);
  const optimizer = momentumOptimizer(network, LEARNING_RATE, MOMENTUM);
  return {
    graph: (i) => {
      const b = feed(i);
      const images = floatTensor([c.batch, s, s, channels], b.images);
      trainer.step({ images, labels: intTensor([c.batch], b.labels) });
    },
    eager: (i) => {
      const b = feed(i);
      const images = tf.tensor4d(b.images, [c.batch, s, s, channels]);
      const labels = tf.tensor1d(b.labels, 'int32');
      trainStep(network, optimizer, { images, labels }, STEP, 0);
      tf.dispose([images, labels]);
    },
    buildMs,
    ops: addon.opCount(forward.builder.graph),
    close: () => {
      trainer.close();
      optimizer.dispose();
      network.dispose();
    },
  };
}

/**
 * Graph and eager steps interleaved (one of each per round, so a change in the shared machine's
 * load hits both alike), medians of `steps` rounds after `warmup`.
 */
function bench(addon: GraphAddon, c: Case, steps: number, warmup: number): void {
  const run = steppers(addon, c);
  const firstMs = clock(() => run.graph(0));
  run.eager(0);
  for (let i = 1; i < warmup; i++) {
    run.graph(i);
    run.eager(i);
  }
  const [graphMs, eagerMs]: [number[], number[]] = [[], []];
  for (let i = 0; i < steps; i++) {
    graphMs.push(clock(() => run.graph(warmup + i)));
    eagerMs.push(clock(() => run.eager(warmup + i)));
  }
  run.close();
  const [g, e] = [1000 / median(graphMs), 1000 / median(eagerMs)];
  process.stdout.write(
    `${c.label.padEnd(28)} graph ${g.toFixed(2).padStart(7)} steps/s  eager ` +
      `${e.toFixed(2).padStart(7)} steps/s  graph/eager x${(g / e).toFixed(2).padStart(6)}  ` +
      `build ${run.buildMs.toFixed(0)} ms (${run.ops} ops), first step ${firstMs.toFixed(0)} ms\n`,
  );
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const steps = flag('steps', quick ? 2 : 5);
  const warmup = flag('warmup', 1);
  await setupBackend('node');
  const addon = loadGraphAddon();
  const cases: Case[] = quick
    ? [{ label: '1@48 16x16x1 batch 8', settings: { ...TINY, imageSize: 16 }, batch: 8 }]
    : [
        { label: '1@48 28x28x1 batch 64', settings: TINY, batch: 64 },
        { label: '2@384 32x32x3 batch 64', settings: NETWORK, batch: 64 },
      ];
  process.stdout.write(
    `NASNet-A, medians of ${steps} interleaved steps after ${warmup} warm-up, ` +
      `${availableParallelism()} cores${NO_GRAPPLER ? ', grappler off' : ''}; ` +
      `momentum SGD, weight decay ${STEP.weightDecay}, clip ${STEP.gradClipNorm}\n`,
  );
  for (const c of cases) bench(addon, c, steps, warmup);
}

await main();
