/**
 * Per-op dispatch cost against kernel time: the same op chain run eagerly through tfjs-node (one
 * N-API call into TensorFlow's eager executor per op) and as one TF_SessionRun of a graph built
 * with the graph-step addon (trainer/graph/). Chains of relu/add and of separable-conv ops, at a
 * tiny size (kernel time ~0: the difference is dispatch) and at the 1@48 network's cell size
 * (batch 64, 32x32x48). Needs install-tensorflow's binding and the built addon.
 * Run: npx tsx bench/graph-dispatch.ts [--ops 60] [--repeats 5]
 */
import { availableParallelism } from 'node:os';
import { loadGraphAddon, type GraphAddon, type GraphOutput } from '../trainer/graph/graph-addon.ts';
import { attr, floatTensor, GraphBuilder } from '../trainer/graph/graph-builder.ts';
import { seededValues } from '../trainer/graph/seeded-values.ts';
import { encodeSessionConfig } from '../trainer/graph/session-config.ts';
import { initBackend, tf } from '../trainer/tf.ts';

/** One op kind of a chain, in both builds; each keeps the shape [n, h, w, c]. */
interface ChainOp {
  readonly eager: (x: tf.Tensor4D, w: Weights) => tf.Tensor4D;
  readonly graph: (b: GraphBuilder, x: GraphOutput, w: GraphWeights) => GraphOutput;
}
interface Weights {
  readonly depthwise: tf.Tensor4D;
  readonly pointwise: tf.Tensor4D;
}
interface GraphWeights {
  readonly depthwise: GraphOutput;
  readonly pointwise: GraphOutput;
}

const SAME1 = {
  strides: attr.ints([1, 1, 1, 1]),
  padding: attr.string('SAME'),
  data_format: attr.string('NHWC'),
};

/** The chains: op kinds repeated in order until the chain has `--ops` ops. */
const CHAINS = {
  'relu/add': [
    { eager: (x) => tf.relu(x), graph: (b, x) => b.op1('Relu', [x]) },
    { eager: (x) => tf.add(x, x), graph: (b, x) => b.op1('AddV2', [x, x]) },
  ],
  'sep conv (dw 3x3, pw 1x1, relu)': [
    {
      eager: (x, w) => tf.depthwiseConv2d(x, w.depthwise, 1, 'same'),
      graph: (b, x, w) => b.op1('DepthwiseConv2dNative', [x, w.depthwise], SAME1),
    },
    {
      eager: (x, w) => tf.conv2d(x, w.pointwise, 1, 'same'),
      graph: (b, x, w) => b.op1('Conv2D', [x, w.pointwise], SAME1),
    },
    { eager: (x) => tf.relu(x), graph: (b, x) => b.op1('Relu', [x]) },
  ],
} satisfies Record<string, readonly ChainOp[]>;

/** Tensor sizes: [batch, height, width, channels]. */
const SIZES = { tiny: [1, 4, 4, 8], '1@48 cell': [64, 32, 32, 48] } as const;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
  return value;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function timeEager(
  chain: readonly ChainOp[],
  shape: readonly number[],
  ops: number,
  repeats: number,
): number {
  const [n = 1, h = 1, w = 1, c = 1] = shape;
  const x0 = tf.tensor4d(seededValues(n * h * w * c, 1), [n, h, w, c]);
  const weights = {
    depthwise: tf.tensor4d(seededValues(9 * c, 2), [3, 3, c, 1]),
    pointwise: tf.tensor4d(
      seededValues(c * c, 3).map((v) => v / c),
      [1, 1, c, c],
    ),
  };
  const once = (): void => {
    const total = tf.tidy(() => {
      let x = x0;
      for (let i = 0; i < ops; ++i)
        x = (chain[i % chain.length] ?? chain[0])?.eager(x, weights) ?? x;
      return tf.sum(x);
    });
    total.dataSync();
    total.dispose();
  };
  once();
  const times = Array.from({ length: repeats }, () => {
    const start = performance.now();
    once();
    return performance.now() - start;
  });
  tf.dispose([x0, weights.depthwise, weights.pointwise]);
  return median(times);
}

function timeGraph(
  addon: GraphAddon,
  chain: readonly ChainOp[],
  shape: readonly number[],
  ops: number,
  repeats: number,
): number {
  const [n = 1, h = 1, w = 1, c = 1] = shape;
  const b = new GraphBuilder(addon);
  // Variables, not Consts, so grappler cannot fold the chain away at session start.
  const x0 = b.variable('x', [n, h, w, c]);
  const dw = b.variable('depthwise', [3, 3, c, 1]);
  const pw = b.variable('pointwise', [1, 1, c, c]);
  let x = x0.value;
  for (let i = 0; i < ops; ++i)
    x =
      (chain[i % chain.length] ?? chain[0])?.graph(b, x, {
        depthwise: dw.value,
        pointwise: pw.value,
      }) ?? x;
  const total = b.op1('Sum', [x, b.ints([0, 1, 2, 3])]);
  const init = b.group(
    'init',
    b.variables.map((v) => v.assign),
  );
  const threads = availableParallelism();
  const session = addon.newSession(
    b.graph,
    encodeSessionConfig({ intraOpThreads: threads, interOpThreads: threads }),
  );
  const values = [
    seededValues(n * h * w * c, 1),
    seededValues(9 * c, 2),
    seededValues(c * c, 3).map((v) => v / c),
  ];
  const feeds = b.variables.map((v, i) => ({
    output: v.initValue,
    tensor: floatTensor(v.shape, values[i] ?? []),
  }));
  addon.run(session, feeds, [], [init]);
  addon.run(session, [], [total], []);
  const times = Array.from({ length: repeats }, () => {
    const start = performance.now();
    addon.run(session, [], [total], []);
    return performance.now() - start;
  });
  addon.closeSession(session);
  return median(times);
}

const ops = flag('ops', 60);
const repeats = flag('repeats', 5);
const info = await initBackend('node');
const addon = loadGraphAddon();
process.stdout.write(`${info.device}; float32 chains of ${ops} ops, median of ${repeats} runs\n`);
process.stdout.write(
  'chain                              size       eager ms  graph ms  eager us/op  graph us/op  saved us/op\n',
);
for (const [chainName, chain] of Object.entries(CHAINS)) {
  for (const [sizeName, shape] of Object.entries(SIZES)) {
    const eager = timeEager(chain, shape, ops, repeats);
    const graph = timeGraph(addon, chain, shape, ops, repeats);
    const perOp = (ms: number): string => ((ms * 1000) / ops).toFixed(1).padStart(11);
    process.stdout.write(
      `${chainName.padEnd(34)} ${sizeName.padEnd(10)} ${eager.toFixed(2).padStart(8)} ${graph.toFixed(2).padStart(9)} ` +
        `${perOp(eager)}  ${perOp(graph)}  ${perOp(eager - graph)}\n`,
    );
  }
}
