/**
 * Which ops of the NASNet search space have a gradient in the TensorFlow build's C++ gradient
 * registry (the one TF_AddGradients uses; Python's registry is not in libtensorflow): one small
 * graph per op kind, differentiated and run once with seeded inputs.
 */
import type { AttrValue, Feed, GraphOutput } from './graph-addon.ts';
import { atrous } from './atrous-conv.ts';
import { attr, floatTensor, intTensor, type GraphBuilder } from './graph-builder.ts';
import { seededValues } from './seeded-values.ts';

/** What one probe builds: the op's output to differentiate and the inputs to differentiate by. */
export interface ProbeGraph {
  readonly y: GraphOutput;
  readonly xs: readonly GraphOutput[];
  readonly feeds: readonly Feed[];
  /**
   * For ops linear in each input (convolutions): per input i, a direction D_i and the sum of the op
   * with input i replaced by D_i, which must equal sum(dy/dx_i * D_i) when the gradient is right.
   */
  readonly linear?: {
    readonly directions: readonly GraphOutput[];
    readonly sums: readonly GraphOutput[];
  };
}
const N = 2;
const HW = 8;
const C = 4;

/** A fed float32 placeholder of `shape` with seeded values. */
function fedInput(
  b: GraphBuilder,
  name: string,
  shape: readonly number[],
  seed: number,
  feeds: Feed[],
): GraphOutput {
  const out = b.placeholder(name, shape);
  const count = shape.reduce((a, d) => a * d, 1);
  feeds.push({ output: out, tensor: floatTensor(shape, seededValues(count, seed)) });
  return out;
}

const NHWC = attr.string('NHWC');
const SAME = attr.string('SAME');

function atrousConv(kind: 'Conv2D' | 'DepthwiseConv2dNative') {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const out = kind === 'Conv2D' ? 6 : 1;
    const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
    const w = fedInput(b, 'w', [3, 3, C, out], 2, feeds);
    const dx = fedInput(b, 'dx', [N, HW, HW, C], 3, feeds);
    const dw = fedInput(b, 'dw', [3, 3, C, out], 4, feeds);
    const all = b.ints([0, 1, 2, 3]);
    const sums = [
      b.op1('Sum', [atrous(b, kind, dx, w, 2, 3), all]),
      b.op1('Sum', [atrous(b, kind, x, dw, 2, 3), all]),
    ];
    return {
      y: atrous(b, kind, x, w, 2, 3),
      xs: [x, w],
      feeds,
      linear: { directions: [dx, dw], sums },
    };
  };
}

function conv(kind: 'Conv2D' | 'DepthwiseConv2dNative', dilation: number, stride: number) {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
    const w = fedInput(b, 'w', [3, 3, C, kind === 'Conv2D' ? 6 : 1], 2, feeds);
    const attrs: Record<string, AttrValue> = {
      strides: attr.ints([1, stride, stride, 1]),
      padding: SAME,
      data_format: NHWC,
      dilations: attr.ints([1, dilation, dilation, 1]),
    };
    const dx = fedInput(b, 'dx', [N, HW, HW, C], 3, feeds);
    const dw = fedInput(b, 'dw', [3, 3, C, kind === 'Conv2D' ? 6 : 1], 4, feeds);
    const all = b.ints([0, 1, 2, 3]);
    const sums = [
      b.op1('Sum', [b.op1(kind, [dx, w], attrs), all]),
      b.op1('Sum', [b.op1(kind, [x, dw], attrs), all]),
    ];
    return {
      y: b.op1(kind, [x, w], attrs),
      xs: [x, w],
      feeds,
      linear: { directions: [dx, dw], sums },
    };
  };
}

function pool(kind: 'AvgPool' | 'MaxPool', stride: number) {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
    const attrs = {
      ksize: attr.ints([1, 3, 3, 1]),
      strides: attr.ints([1, stride, stride, 1]),
      padding: SAME,
    };
    return { y: b.op1(kind, [x], { ...attrs, data_format: NHWC }), xs: [x], feeds };
  };
}

function unary(kind: string, extra: (b: GraphBuilder) => GraphOutput[] = () => [], attrs = {}) {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
    return { y: b.op1(kind, [x, ...extra(b)], attrs), xs: [x], feeds };
  };
}

function binary(kind: string) {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
    const z = fedInput(b, 'z', [N, HW, HW, C], 2, feeds);
    return { y: b.op1(kind, [x, z]), xs: [x, z], feeds };
  };
}

function list(kind: 'ConcatV2' | 'AddN') {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
    const z = fedInput(b, 'z', [N, HW, HW, C], 2, feeds);
    const y =
      kind === 'ConcatV2'
        ? b.op1(kind, [[x, z], b.constant(intTensor([], [3]))], { N: attr.int(2) })
        : b.op1(kind, [[x, z]], { N: attr.int(2) });
    return { y, xs: [x, z], feeds };
  };
}

function fusedBatchNorm(b: GraphBuilder): ProbeGraph {
  const feeds: Feed[] = [];
  const x = fedInput(b, 'x', [N, HW, HW, C], 1, feeds);
  const scale = fedInput(b, 'scale', [C], 2, feeds);
  const offset = fedInput(b, 'offset', [C], 3, feeds);
  const empty = b.constant(floatTensor([0], []));
  const y = b.op1('FusedBatchNormV3', [x, scale, offset, empty, empty], {
    epsilon: attr.float(1e-3),
    is_training: attr.bool(true),
    data_format: NHWC,
    U: attr.type(1),
  });
  return { y, xs: [x, scale, offset], feeds };
}

function xent(kind: 'SparseSoftmaxCrossEntropyWithLogits' | 'SoftmaxCrossEntropyWithLogits') {
  return (b: GraphBuilder): ProbeGraph => {
    const feeds: Feed[] = [];
    const logits = fedInput(b, 'logits', [N, 10], 1, feeds);
    const labels =
      kind === 'SparseSoftmaxCrossEntropyWithLogits'
        ? b.constant(intTensor([N], [3, 7]))
        : b.constant(
            floatTensor(
              [N, 10],
              Array.from({ length: N * 10 }, (_, i) => (i % 10 === 3 ? 1 : 0)),
            ),
          );
    return { y: b.op1(kind, [logits, labels]), xs: [logits], feeds };
  };
}

function matMul(b: GraphBuilder): ProbeGraph {
  const feeds: Feed[] = [];
  const x = fedInput(b, 'x', [N, C], 1, feeds);
  const w = fedInput(b, 'w', [C, 10], 2, feeds);
  const bias = fedInput(b, 'bias', [10], 3, feeds);
  const y = b.op1('BiasAdd', [b.op1('MatMul', [x, w]), bias], { data_format: NHWC });
  return { y, xs: [x, w, bias], feeds };
}

/** Every op kind a child network's training step uses, by a short descriptive name. */
export const GRADIENT_PROBES = {
  Conv2D: conv('Conv2D', 1, 1),
  'Conv2D stride 2': conv('Conv2D', 1, 2),
  'Conv2D dilated': conv('Conv2D', 2, 1),
  DepthwiseConv2dNative: conv('DepthwiseConv2dNative', 1, 1),
  'DepthwiseConv2dNative stride 2': conv('DepthwiseConv2dNative', 1, 2),
  'DepthwiseConv2dNative dilated': conv('DepthwiseConv2dNative', 2, 1),
  'Conv2D dilated via SpaceToBatchND': atrousConv('Conv2D'),
  'DepthwiseConv2dNative dilated via SpaceToBatchND': atrousConv('DepthwiseConv2dNative'),
  FusedBatchNormV3: fusedBatchNorm,
  AvgPool: pool('AvgPool', 1),
  'AvgPool stride 2': pool('AvgPool', 2),
  MaxPool: pool('MaxPool', 1),
  'MaxPool stride 2': pool('MaxPool', 2),
  Relu: unary('Relu'),
  ConcatV2: list('ConcatV2'),
  AddN: list('AddN'),
  Add: binary('Add'),
  AddV2: binary('AddV2'),
  Mul: binary('Mul'),
  RealDiv: binary('RealDiv'),
  Maximum: binary('Maximum'),
  Square: unary('Square'),
  Identity: unary('Identity'),
  Sum: unary('Sum', (b) => [b.ints([0, 1, 2, 3])]),
  Mean: unary('Mean', (b) => [b.ints([1, 2])], { keep_dims: attr.bool(false) }),
  Pad: unary('Pad', (b) => [b.constant(intTensor([4, 2], [0, 0, 1, 1, 1, 1, 0, 0]))]),
  Slice: unary('Slice', (b) => [b.ints([0, 1, 1, 0]), b.ints([N, HW - 1, HW - 1, C])]),
  StridedSlice: unary(
    'StridedSlice',
    (b) => [b.ints([0, 1, 1, 0]), b.ints([N, HW, HW, C]), b.ints([1, 1, 1, 1])],
    {
      Index: attr.type(3),
    },
  ),
  Reshape: unary('Reshape', (b) => [b.ints([N, -1])]),
  'MatMul + BiasAdd': matMul,
  SparseSoftmaxCrossEntropyWithLogits: xent('SparseSoftmaxCrossEntropyWithLogits'),
  SoftmaxCrossEntropyWithLogits: xent('SoftmaxCrossEntropyWithLogits'),
} satisfies Record<string, (b: GraphBuilder) => ProbeGraph>;

/** The probe names. */
export type ProbeName = keyof typeof GRADIENT_PROBES;
