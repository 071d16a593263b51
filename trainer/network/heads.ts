/**
 * The stem, the classifier head and the auxiliary head, built from their plans
 * (network-plan.ts) as shared/complexity.ts counts them.
 */
import type { AuxHeadPlan, HeadPlan, StemPlan } from '../../shared/network-plan.ts';
import { tf } from '../tf.ts';
import type { Tensor2D, Tensor4D } from '../tf.ts';
import { batchNorm, type BatchNormSettings } from './batch-norm.ts';
import { conv } from './conv-layers.ts';
import { constant, glorotUniform } from './initializers.ts';
import { relu, sequence, type ForwardContext, type Layer } from './layer.ts';
import { KERNEL, SHIFT_OR_SCALE, type ParamStore } from './param-store.ts';

/** A layer that ends in class logits. */
export type HeadLayer = (x: Tensor4D, ctx: ForwardContext) => Tensor2D;

/**
 * The stem: 3x3 conv (SAME stride 1 for CIFAR, VALID stride 2 for ImageNet) -> BN; weights
 * `stem/...`.
 */
export function buildStem(store: ParamStore, plan: StemPlan, bn: BatchNormSettings): Layer {
  const k = plan.kernel;
  const channels = { cin: plan.input.channels, cout: plan.filters };
  const stride = [plan.stride, plan.stride] as const;
  return sequence(
    conv(store, 'stem/conv', [k, k], channels, stride, plan.padding),
    batchNorm(store, 'stem/bn', plan.filters, bn),
  );
}

/**
 * ReLU -> global average pool -> dropout at `dropout` (training only) -> dense with bias; weights
 * `head/dense/...`.
 */
export function buildHead(store: ParamStore, plan: HeadPlan, dropout: number): HeadLayer {
  const logits = dense(store, 'head/dense', plan.input.channels, plan.classes);
  return (x, ctx) => {
    const pooled = tf.mean(tf.relu(x), [1, 2]).as2D(x.shape[0], x.shape[3]);
    const dropped =
      ctx.training && dropout > 0
        ? tf.dropout(pooled, dropout, undefined, ctx.nextSeed()).as2D(x.shape[0], x.shape[3])
        : pooled;
    return logits(dropped);
  };
}

/**
 * TF-slim `_build_aux_head`: ReLU -> avg pool (VALID) -> 1x1 conv -> BN -> ReLU -> conv with a
 * kernel the size of the pooled map (VALID, so 1x1 out) -> BN -> ReLU -> dense; weights `aux/...`
 * (docs/nasnet.md#skeletons).
 */
export function buildAuxHead(
  store: ParamStore,
  plan: AuxHeadPlan,
  bn: BatchNormSettings,
): HeadLayer {
  const { pool, pooled, projectionFilters: p, hiddenFilters: h } = plan;
  const features = sequence(
    relu,
    (x) => tf.avgPool(x, pool.kernel, pool.stride, 'valid'),
    conv(store, 'aux/proj/conv', [1, 1], { cin: pooled.channels, cout: p }),
    batchNorm(store, 'aux/proj/bn', p, bn),
    relu,
    conv(
      store,
      'aux/hidden/conv',
      [pooled.height, pooled.width],
      { cin: p, cout: h },
      [1, 1],
      'valid',
    ),
    batchNorm(store, 'aux/hidden/bn', h, bn),
    relu,
  );
  const logits = dense(store, 'aux/dense', h, plan.classes);
  return (x, ctx) => logits(features(x, ctx).as2D(x.shape[0], h));
}

/**
 * A dense layer with bias: Glorot-uniform kernel `<name>/kernel` (decayed), zero bias
 * `<name>/bias`.
 */
function dense(
  store: ParamStore,
  name: string,
  inputs: number,
  units: number,
): (x: Tensor2D) => Tensor2D {
  const kernel = store.create(
    `${name}/kernel`,
    [inputs, units],
    glorotUniform(inputs, units),
    KERNEL,
  );
  const bias = store.create(`${name}/bias`, [units], constant(0), SHIFT_OR_SCALE);
  return (x) => tf.add(tf.matMul(x, kernel), bias);
}
