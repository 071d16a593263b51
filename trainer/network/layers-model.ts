/**
 * A trained network as a standard TensorFlow.js LayersModel: `tf.model` over `tf.input`, made only
 * of stock Keras layers (Conv2D, SeparableConv2D, DepthwiseConv2D, BatchNormalization, ReLU,
 * pooling, ZeroPadding2D, Cropping2D, Add, Concatenate, Dense, Activation), so that
 * `tf.loadLayersModel` and TensorFlow's converter read it without any code of ours. It computes the
 * network in inference mode (BN with moving statistics; no drop path, dropout or aux head).
 *
 * Input: NHWC float32 pixel values 0..255 as the dataset stores them; the first layer, `normalize`
 * (a 1x1 DepthwiseConv2D with bias), applies the training split's per-channel normalisation.
 * Output: softmax class probabilities (layer `probabilities`); the logits are layer `head.dense`.
 */
import type { NetworkPlan } from '../../shared/network-plan.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import { tf } from '../tf.ts';
import { BATCH_NORM_SETTINGS } from './batch-norm.ts';
import { applyCell } from './keras-cell.ts';
import {
  applyLayer,
  batchNormLayer,
  convLayer,
  reluLayer,
  type KerasGraph,
  type Sym,
} from './keras-layers.ts';
import { WeightBinder, type WeightBinding } from './keras-weights.ts';
import type { ParamStore } from './param-store.ts';

/** The name of the layer whose output is the logits (before the softmax). */
export const LOGITS_LAYER = 'head.dense';
/** The name of the input normalisation layer. */
export const NORMALIZE_LAYER = 'normalize';

/** A LayersModel and how its weights map to the ParamStore it was built from. */
export interface BuiltLayersModel {
  readonly model: tf.LayersModel;
  readonly bindings: readonly WeightBinding[];
}

/**
 * Builds the inference LayersModel of `plan` with the weights of `params` (copied, so the model
 * outlives the store) and input normalisation `stats`. Throws when a parameter is missing, has the
 * wrong shape, is used twice or not at all.
 */
export function buildLayersModel(
  plan: NetworkPlan,
  params: ParamStore,
  stats: ChannelStats,
): BuiltLayersModel {
  const binder = new WeightBinder(params);
  const g: KerasGraph = { binder, bn: BATCH_NORM_SETTINGS[plan.settings.skeleton] };
  const { height, width, channels } = plan.stem.input;
  const input = tf.input({ shape: [height, width, channels], name: 'image', dtype: 'float32' });
  const stem = applyStem(g, plan, normalize(binder, input, stats, channels));
  const features = new Map<string | number, Sym>([['stem', stem]]);
  let last = stem;
  for (const cell of plan.cells) {
    const [a, b] = cell.inputs.map((i) => feature(features, i.source));
    if (a === undefined || b === undefined) throw new Error(`cell ${cell.index} lacks an input`);
    last = applyCell(g, cell, [a, b]);
    features.set(cell.index, last);
  }
  const output = applyHead(g, plan, last);
  if (plan.auxHead !== null) binder.omit('aux/'); // a training aid, not part of inference
  const bindings = binder.finish();
  const model = tf.model({ inputs: input, outputs: output, name: 'cellsearch_network' });
  return { model, bindings };
}

/** (x / 255 - mean) / std per channel, as trainer/train/batch-images.ts feeds the network. */
function normalize(binder: WeightBinder, x: Sym, stats: ChannelStats, channels: number): Sym {
  if (stats.mean.length !== channels || stats.std.length !== channels) {
    throw new Error(`normalisation statistics have ${stats.mean.length} channels, not ${channels}`);
  }
  const layer = tf.layers.depthwiseConv2d({
    name: NORMALIZE_LAYER,
    kernelSize: 1,
    depthMultiplier: 1,
    useBias: true,
    trainable: false,
  });
  const y = applyLayer(layer, x);
  const scale = stats.std.map((s) => 1 / (255 * s));
  const shift = stats.mean.map((m, c) => -m / (stats.std[c] ?? 1));
  tf.tidy(() =>
    binder.bindConstant(layer, [tf.tensor4d(scale, [1, 1, channels, 1]), tf.tensor1d(shift)]),
  );
  return y;
}

/** 3x3 conv (SAME stride 1 for CIFAR, VALID stride 2 for ImageNet) -> BN, as ./heads.ts. */
function applyStem(g: KerasGraph, plan: NetworkPlan, x: Sym): Sym {
  const { kernel: k, stride: s, padding, filters } = plan.stem;
  const y = convLayer(g, 'stem/conv', x, [k, k], filters, { strides: [s, s], padding });
  return batchNormLayer(g, 'stem/bn', y);
}

/** ReLU -> global average pool -> dense with bias (the logits) -> softmax. */
function applyHead(g: KerasGraph, plan: NetworkPlan, x: Sym): Sym {
  const pooled = applyLayer(
    tf.layers.globalAveragePooling2d({ name: 'head.pool' }),
    reluLayer('head/relu', x),
  );
  const dense = tf.layers.dense({ name: LOGITS_LAYER, units: plan.head.classes, useBias: true });
  const logits = applyLayer(dense, pooled);
  g.binder.bind(dense, ['head/dense/kernel', 'head/dense/bias']);
  return applyLayer(tf.layers.activation({ name: 'probabilities', activation: 'softmax' }), logits);
}

function feature(features: ReadonlyMap<string | number, Sym>, source: string | number): Sym {
  const x = features.get(source);
  if (x === undefined) throw new Error(`feature ${String(source)} is not computed yet`);
  return x;
}
