/**
 * The classifier head, the auxiliary head and the loss as graph ops, twins of
 * trainer/network/heads.ts and the data loss of trainer/train/train-step.ts, with the same
 * weight names (`head/dense/...`, `aux/...`).
 */
import type { AuxHeadPlan, HeadPlan } from '../../shared/network-plan.ts';
import { DTYPE, type GraphOutput } from './graph-addon.ts';
import { attr } from './graph-builder.ts';
import { batchNorm, conv, dense, pool, relu, type NetGraph } from './graph-layers.ts';

/** ReLU -> global average pool -> dense with bias (heads.ts `buildHead`, dropout 0). */
export function headGraph(g: NetGraph, plan: HeadPlan, x: GraphOutput): GraphOutput {
  const pooled = g.b.op1('Mean', [relu(g, x), g.b.ints([1, 2])], {
    keep_dims: attr.bool(false),
  });
  return dense(g, 'head/dense', pooled, plan.classes);
}

/**
 * TF-slim `_build_aux_head` (heads.ts `buildAuxHead`): ReLU -> avg pool (VALID) -> 1x1 conv -> BN
 * -> ReLU -> conv the size of the pooled map (VALID) -> BN -> ReLU -> dense.
 */
export function auxHeadGraph(
  g: NetGraph,
  plan: AuxHeadPlan,
  x: GraphOutput,
  batch: number,
): GraphOutput {
  const { pool: p, pooled, projectionFilters, hiddenFilters } = plan;
  let y = pool(g, 'avg', relu(g, x), p.kernel, p.stride, 'VALID');
  y = relu(g, batchNorm(g, 'aux/proj/bn', conv(g, 'aux/proj/conv', y, [1, 1], projectionFilters)));
  const hidden = conv(g, 'aux/hidden/conv', y, [pooled.height, pooled.width], hiddenFilters, {
    padding: 'VALID',
  });
  y = relu(g, batchNorm(g, 'aux/hidden/bn', hidden));
  const flat = g.b.op1('Reshape', [y, g.b.ints([batch, hiddenFilters])]);
  return dense(g, 'aux/dense', flat, plan.classes);
}

/** How the loss is formed (train-step.ts `dataLoss`). */
export interface LossSettings {
  readonly classes: number;
  /** Label smoothing: targets (1 - s) one-hot + s / classes (tf.losses.softmaxCrossEntropy). */
  readonly labelSmoothing: number;
  /** Weight of the aux head's cross-entropy (used only with aux logits). */
  readonly auxWeight: number;
  /** Mean over the batch (training; the default) or sum (evaluation sums over a split). */
  readonly reduce?: 'mean' | 'sum';
}

/**
 * Mean softmax cross-entropy of the main logits plus auxWeight x the aux logits' (OneHot + the
 * dense op: the sparse op has no C++ gradient), and `correct`, the main head's hits.
 */
export function lossGraph(
  g: NetGraph,
  logits: GraphOutput,
  auxLogits: GraphOutput | null,
  labels: GraphOutput,
  s: LossSettings,
): { readonly loss: GraphOutput; readonly correct: GraphOutput } {
  const { b } = g;
  const depth = b.constant({ dtype: DTYPE.int32, shape: [], data: Int32Array.of(s.classes) });
  const off = s.labelSmoothing / s.classes;
  const targets = b.op1(
    'OneHot',
    [labels, depth, b.scalar(1 - s.labelSmoothing + off), b.scalar(off)],
    {
      axis: attr.int(-1),
    },
  );
  const xent = (z: GraphOutput): GraphOutput => {
    const [perExample] = b.op('SoftmaxCrossEntropyWithLogits', [z, targets]);
    if (perExample === undefined) throw new Error('SoftmaxCrossEntropyWithLogits has no output');
    const reduce = s.reduce === 'sum' ? 'Sum' : 'Mean';
    return b.op1(reduce, [perExample, b.ints([0])], { keep_dims: attr.bool(false) });
  };
  const main = xent(logits);
  const loss =
    auxLogits !== null && s.auxWeight > 0
      ? b.op1(
          'AddV2',
          [main, b.op1('Mul', [xent(auxLogits), b.scalar(s.auxWeight)])],
          {},
          {
            name: 'loss',
          },
        )
      : b.op1('Identity', [main], {}, { name: 'loss' });
  const classAxis = b.constant({ dtype: DTYPE.int32, shape: [], data: Int32Array.of(1) });
  const predicted = b.op1('ArgMax', [logits, classAxis], { output_type: attr.type(DTYPE.int32) });
  const hits = b.op1('Cast', [b.op1('Equal', [predicted, labels])], {
    SrcT: attr.type(DTYPE.bool),
    DstT: attr.type(DTYPE.float32),
  });
  const correct = b.op1(
    'Sum',
    [hits, b.ints([0])],
    { keep_dims: attr.bool(false) },
    {
      name: 'correct',
    },
  );
  return { loss, correct };
}
