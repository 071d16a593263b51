/**
 * The network's layers as graph ops, each the graph twin of a tfjs layer in trainer/network/ with
 * the same weight names, shapes and roles (param-store.ts), computing what the tensorflow backend's
 * profile computes: TensorFlow's SAME convolutions, pools and training-mode fused batch norm, a
 * strided 1x1 conv as subsampling then a stride-1 conv (the oneDNN filter-gradient bug
 * tensorflow-profile.ts avoids), dilated convs as SpaceToBatchND form (./atrous-conv.ts).
 */
import type { Pair } from '../../shared/op-step.ts';
import type { BatchNormSettings } from '../network/batch-norm.ts';
import { KERNEL, SHIFT_OR_SCALE, STATISTIC } from '../network/param-store.ts';
import { DTYPE, type GraphOutput } from './graph-addon.ts';
import {
  attr,
  intTensor,
  type Attrs,
  type GraphBuilder,
  type GraphVariable,
  type VariableRole,
} from './graph-builder.ts';
import { atrous } from './atrous-conv.ts';

/** What every layer of one network graph shares: the builder, BN settings and update ops. */
export interface NetGraph {
  readonly b: GraphBuilder;
  readonly bn: BatchNormSettings;
  /** Training (batch statistics, moving averages updated) or inference (moving statistics). */
  readonly training: boolean;
  /** The batch norm moving-average assignments a train step runs. */
  readonly updates: string[];
}

const NHWC = attr.string('NHWC');

function convAttrs(strides: Pair, padding: 'SAME' | 'VALID'): Attrs {
  return {
    strides: attr.ints([1, strides[0], strides[1], 1]),
    padding: attr.string(padding),
    data_format: NHWC,
    dilations: attr.ints([1, 1, 1, 1]),
  };
}

/**
 * The statically inferred NHWC shape of `x` (the plan fixes every size but the batch, which is -1
 * in a graph fed batches of any size).
 */
export function shapeOf(g: NetGraph, x: GraphOutput): [number, number, number, number] {
  const s = g.b.addon.outputShape(g.b.graph, x);
  const [n, h, w, c] = s ?? [];
  if (s === null || s.length !== 4 || [h, w, c].some((d) => d === undefined || d < 0)) {
    throw new Error(`graph tensor ${x.op}:${x.index} has no static 4-D shape`);
  }
  return [n ?? -1, h ?? 0, w ?? 0, c ?? 0];
}

/**
 * The variable `name`: the one already in the graph (the inference forward reads the training
 * forward's variables), else a new one of `shape` and `role`.
 */
export function param(
  g: NetGraph,
  name: string,
  shape: readonly number[],
  role: VariableRole,
): GraphVariable {
  const found = g.b.variables.find((v) => v.name === name);
  if (found === undefined) return g.b.variable(name, shape, role);
  if (found.shape.join() !== shape.join()) {
    throw new Error(`variable ${name} is [${found.shape.join(', ')}], not [${shape.join(', ')}]`);
  }
  return found;
}

/** Rows 0, sh, 2sh, ... and columns 0, sw, ... of x (conv-ops.ts `subsample`). */
export function subsample(g: NetGraph, x: GraphOutput, strides: Pair): GraphOutput {
  if (strides[0] === 1 && strides[1] === 1) return x;
  return strided(g, x, [0, 0], strides);
}

/** StridedSlice from (row, column) `begin` by `strides` to the end (all of batch and channels). */
function strided(g: NetGraph, x: GraphOutput, begin: Pair, strides: Pair): GraphOutput {
  const [, h, w] = shapeOf(g, x);
  return g.b.op1(
    'StridedSlice',
    [
      x,
      g.b.ints([0, begin[0], begin[1], 0]),
      g.b.ints([0, h, w, 0]),
      g.b.ints([1, strides[0], strides[1], 1]),
    ],
    { end_mask: attr.int(0b1001) },
  );
}

/**
 * Pixels (2r + 1, 2c + 1) of x, zero past the border (adjustment-layer.ts `shiftedGrid`): pad an
 * odd size by one at the bottom or right, then every second pixel from (1, 1).
 */
export function shiftedGrid(g: NetGraph, x: GraphOutput): GraphOutput {
  const [, h, w] = shapeOf(g, x);
  const pads = g.b.constant(intTensor([4, 2], [0, 0, 0, h % 2, 0, w % 2, 0, 0]));
  const padded = h % 2 === 0 && w % 2 === 0 ? x : g.b.op1('Pad', [x, pads]);
  return strided(g, padded, [1, 1], [2, 2]);
}

/** ReLU. */
export function relu(g: NetGraph, x: GraphOutput): GraphOutput {
  return g.b.op1('Relu', [x]);
}

/** The options of {@link conv}. */
export interface ConvOptions {
  readonly strides?: Pair;
  readonly dilation?: Pair;
  readonly padding?: 'SAME' | 'VALID';
}

/**
 * A bias-free convolution, kernel `name` [kh, kw, cin, cout] (conv-layers.ts `conv` and
 * `dilatedConv`). A dilated one with a stride is the stride-1 result subsampled; where the stride
 * equals the rate on an odd kernel the input is subsampled first (conv-ops.ts `dilatedConv2d`).
 */
export function conv(
  g: NetGraph,
  name: string,
  x: GraphOutput,
  kernel: Pair,
  cout: number,
  options: ConvOptions = {},
): GraphOutput {
  const { strides = [1, 1], dilation = [1, 1], padding = 'SAME' } = options;
  const cin = shapeOf(g, x)[3];
  const w = param(g, name, [kernel[0], kernel[1], cin, cout], KERNEL).value;
  if (dilation[0] !== 1 || dilation[1] !== 1) return dilated(g, x, w, kernel, strides, dilation);
  if (kernel[0] === 1 && kernel[1] === 1 && padding === 'SAME') {
    return g.b.op1('Conv2D', [subsample(g, x, strides), w], convAttrs([1, 1], 'SAME'));
  }
  return g.b.op1('Conv2D', [x, w], convAttrs(strides, padding));
}

function dilated(
  g: NetGraph,
  x: GraphOutput,
  w: GraphOutput,
  kernel: Pair,
  strides: Pair,
  rate: Pair,
): GraphOutput {
  const preAxis = (a: 0 | 1): number =>
    strides[a] === rate[a] && kernel[a] % 2 === 1 ? strides[a] : 1;
  const pre: Pair = [preAxis(0), preAxis(1)];
  const r: Pair = [rate[0] / pre[0], rate[1] / pre[1]];
  const input = subsample(g, x, pre);
  let y: GraphOutput;
  if (r[0] === 1 && r[1] === 1) y = g.b.op1('Conv2D', [input, w], convAttrs([1, 1], 'SAME'));
  else if (r[0] === r[1] && kernel[0] === kernel[1]) {
    const [, h, wd] = shapeOf(g, input);
    y = atrous(g.b, 'Conv2D', input, w, r[0], kernel[0], [h, wd]);
  } else
    throw new Error(
      `dilated conv: rates ${r.join('x')} on a ${kernel.join('x')} kernel are not supported`,
    );
  return subsample(g, y, [strides[0] / pre[0], strides[1] / pre[1]]);
}

/** A SAME depthwise convolution (multiplier 1), kernel `name` [kh, kw, c, 1]. */
export function depthwise(
  g: NetGraph,
  name: string,
  x: GraphOutput,
  kernel: Pair,
  strides: Pair = [1, 1],
): GraphOutput {
  const channels = shapeOf(g, x)[3];
  const w = param(g, name, [kernel[0], kernel[1], channels, 1], KERNEL).value;
  return g.b.op1('DepthwiseConv2dNative', [x, w], convAttrs(strides, 'SAME'));
}

/** SAME pooling (average pooling excludes the padding, as TensorFlow's AvgPool does). */
export function pool(
  g: NetGraph,
  kind: 'avg' | 'max',
  x: GraphOutput,
  kernel: number,
  stride: number,
  padding: 'SAME' | 'VALID' = 'SAME',
): GraphOutput {
  return g.b.op1(kind === 'avg' ? 'AvgPool' : 'MaxPool', [x], {
    ksize: attr.ints([1, kernel, kernel, 1]),
    strides: attr.ints([1, stride, stride, 1]),
    padding: attr.string(padding),
    data_format: NHWC,
  });
}

/**
 * Batch norm, weights `<name>/gamma`, `beta`, `moving_mean`, `moving_variance` (batch-norm.ts).
 * Training: FusedBatchNormV3 normalises with the batch statistics, and its batch mean and unbiased
 * batch variance go into the moving averages at the BN momentum, as the eager layer does.
 * Inference: it normalises with the moving statistics.
 */
export function batchNorm(g: NetGraph, name: string, x: GraphOutput): GraphOutput {
  const { b, bn } = g;
  const c = shapeOf(g, x)[3];
  const gamma = param(g, `${name}/gamma`, [c], SHIFT_OR_SCALE);
  const beta = param(g, `${name}/beta`, [c], SHIFT_OR_SCALE);
  const mean = param(g, `${name}/moving_mean`, [c], STATISTIC);
  const variance = param(g, `${name}/moving_variance`, [c], STATISTIC);
  const empty = b.constant({ dtype: DTYPE.float32, shape: [0], data: new Float32Array(0) });
  const statistics = g.training ? [empty, empty] : [mean.value, variance.value];
  const [y, batchMean, batchVariance] = b.op(
    'FusedBatchNormV3',
    [x, gamma.value, beta.value, ...statistics],
    {
      epsilon: attr.float(bn.epsilon),
      is_training: attr.bool(g.training),
      data_format: NHWC,
      U: attr.type(DTYPE.float32),
    },
  );
  if (y === undefined || batchMean === undefined || batchVariance === undefined) {
    throw new Error('FusedBatchNormV3 has too few outputs');
  }
  if (g.training) {
    g.updates.push(movingAverage(g, mean, batchMean), movingAverage(g, variance, batchVariance));
  }
  return y;
}

/** Assigns momentum x average + (1 - momentum) x value; returns the assignment's name. */
function movingAverage(g: NetGraph, average: GraphVariable, value: GraphOutput): string {
  const { b, bn } = g;
  const kept = b.op1('Mul', [average.value, b.scalar(bn.momentum)]);
  const next = b.op1('AddV2', [kept, b.op1('Mul', [value, b.scalar(1 - bn.momentum)])]);
  return b.add('AssignVariableOp', [average.handle, next], { dtype: attr.type(DTYPE.float32) })
    .name;
}

/** A dense layer with bias: kernel `<name>/kernel` [inputs, units] (decayed), `<name>/bias`. */
export function dense(g: NetGraph, name: string, x: GraphOutput, units: number): GraphOutput {
  const s = g.b.addon.outputShape(g.b.graph, x);
  const inputs = s?.[1] ?? -1;
  if (inputs < 0) throw new Error(`dense ${name}: its input has no static width`);
  const kernel = param(g, `${name}/kernel`, [inputs, units], KERNEL).value;
  const bias = param(g, `${name}/bias`, [units], SHIFT_OR_SCALE).value;
  return g.b.op1('BiasAdd', [g.b.op1('MatMul', [x, kernel]), bias], { data_format: NHWC });
}
