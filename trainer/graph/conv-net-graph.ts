/**
 * The graph step's first network: a small conv net with every layer kind of a NASNet cell's ops —
 * conv 3x3 → batch norm → relu → separable conv (depthwise 3x3, pointwise 1x1) → batch norm →
 * relu → max pool 3x3/2 → global average pool → dense → softmax cross-entropy — built as a
 * TensorFlow graph through the addon. Its parameters and initial values are data, shared with
 * the eager tfjs build that checks it.
 */
import { DTYPE, type GraphAddon, type GraphOutput } from './graph-addon.ts';
import { attr, GraphBuilder } from './graph-builder.ts';
import { seededValues } from './seeded-values.ts';
import type { ForwardGraph } from './train-graph.ts';

/** The conv net's sizes. */
export interface ConvNetConfig {
  readonly batch: number;
  /** Input height and width. */
  readonly size: number;
  readonly inChannels: number;
  readonly filters: number;
  readonly classes: number;
}

/** How a parameter starts: fan-in scaled uniform, ones (BN scale) or zeros (BN offset, bias). */
export type ParamInit = 'fan_in' | 'ones' | 'zeros';

/** One trainable parameter of the conv net. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

/** Batch norm's epsilon (Keras's BatchNormalization default). */
export const BN_EPSILON = 1e-3;

/** The conv net's parameters, in the order the graph creates them. */
export function convNetParams(c: ConvNetConfig): ParamSpec[] {
  const f = c.filters;
  return [
    { name: 'stem/conv', shape: [3, 3, c.inChannels, f], init: 'fan_in' },
    { name: 'stem/bn/gamma', shape: [f], init: 'ones' },
    { name: 'stem/bn/beta', shape: [f], init: 'zeros' },
    { name: 'sep/depthwise', shape: [3, 3, f, 1], init: 'fan_in' },
    { name: 'sep/pointwise', shape: [1, 1, f, f], init: 'fan_in' },
    { name: 'sep/bn/gamma', shape: [f], init: 'ones' },
    { name: 'sep/bn/beta', shape: [f], init: 'zeros' },
    { name: 'head/kernel', shape: [f, c.classes], init: 'fan_in' },
    { name: 'head/bias', shape: [c.classes], init: 'zeros' },
  ];
}

/** Seeded initial values of every parameter: uniform in ±sqrt(3 / fan-in) for kernels. */
export function initialWeights(c: ConvNetConfig, seed: number): Map<string, Float32Array> {
  return new Map(
    convNetParams(c).map((p, i) => {
      const count = p.shape.reduce((a, d) => a * d, 1);
      if (p.init !== 'fan_in')
        return [p.name, new Float32Array(count).fill(p.init === 'ones' ? 1 : 0)];
      // Depthwise kernels [h, w, c, 1] see h*w inputs; others every dim but the last.
      const fanIn = p.name.endsWith('depthwise')
        ? (p.shape[0] ?? 1) * (p.shape[1] ?? 1)
        : count / (p.shape.at(-1) ?? 1);
      const scale = Math.sqrt(3 / fanIn);
      return [p.name, seededValues(count, seed + i).map((v) => v * scale)];
    }),
  );
}

const NHWC = attr.string('NHWC');
const SAME = attr.string('SAME');

function conv(
  b: GraphBuilder,
  kind: 'Conv2D' | 'DepthwiseConv2dNative',
  x: GraphOutput,
  w: GraphOutput,
): GraphOutput {
  const attrs = {
    strides: attr.ints([1, 1, 1, 1]),
    padding: SAME,
    data_format: NHWC,
    dilations: attr.ints([1, 1, 1, 1]),
  };
  return b.op1(kind, [x, w], attrs);
}

/** Training-mode batch norm (batch statistics) then relu. */
function bnRelu(
  b: GraphBuilder,
  x: GraphOutput,
  gamma: GraphOutput,
  beta: GraphOutput,
): GraphOutput {
  const empty = b.constant({ dtype: DTYPE.float32, shape: [0], data: new Float32Array(0) });
  const attrs = {
    epsilon: attr.float(BN_EPSILON),
    is_training: attr.bool(true),
    data_format: NHWC,
    U: attr.type(DTYPE.float32),
  };
  const [y] = b.op('FusedBatchNormV3', [x, gamma, beta, empty, empty], attrs);
  if (y === undefined) throw new Error('FusedBatchNormV3 has no output');
  return b.op1('Relu', [y]);
}

/** Builds the forward graph and mean softmax cross-entropy loss; inputs `images` and `labels`. */
export function buildConvNetGraph(addon: GraphAddon, c: ConvNetConfig): ForwardGraph {
  const b = new GraphBuilder(addon);
  const images = b.placeholder('images', [c.batch, c.size, c.size, c.inChannels]);
  const labels = b.placeholder('labels', [c.batch], DTYPE.int32);
  const v = Object.fromEntries(
    convNetParams(c).map((p) => [p.name, b.variable(p.name, p.shape).value]),
  );
  const param = (name: string): GraphOutput => {
    const out = v[name];
    if (out === undefined) throw new Error(`no parameter ${name}`);
    return out;
  };
  let x = bnRelu(
    b,
    conv(b, 'Conv2D', images, param('stem/conv')),
    param('stem/bn/gamma'),
    param('stem/bn/beta'),
  );
  x = conv(
    b,
    'Conv2D',
    conv(b, 'DepthwiseConv2dNative', x, param('sep/depthwise')),
    param('sep/pointwise'),
  );
  x = bnRelu(b, x, param('sep/bn/gamma'), param('sep/bn/beta'));
  x = b.op1('MaxPool', [x], {
    ksize: attr.ints([1, 3, 3, 1]),
    strides: attr.ints([1, 2, 2, 1]),
    padding: SAME,
    data_format: NHWC,
  });
  x = b.op1('Mean', [x, b.ints([1, 2])], { keep_dims: attr.bool(false) });
  const logits = b.op1(
    'BiasAdd',
    [b.op1('MatMul', [x, param('head/kernel')]), param('head/bias')],
    { data_format: NHWC },
  );
  // SparseSoftmaxCrossEntropyWithLogits has no C++ gradient: one-hot labels and the dense op.
  const oneHot = b.op1(
    'OneHot',
    [
      labels,
      b.constant({ dtype: DTYPE.int32, shape: [], data: Int32Array.of(c.classes) }),
      b.scalar(1),
      b.scalar(0),
    ],
    {
      axis: attr.int(-1),
    },
  );
  const [perExample] = b.op('SoftmaxCrossEntropyWithLogits', [logits, oneHot]);
  if (perExample === undefined) throw new Error('SoftmaxCrossEntropyWithLogits has no output');
  const loss = b.op1(
    'Mean',
    [perExample, b.ints([0])],
    { keep_dims: attr.bool(false) },
    { name: 'loss' },
  );
  return { builder: b, inputs: { images, labels }, loss };
}
