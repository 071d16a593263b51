/**
 * The standard Keras layers the LayersModel of a network is made of, each applied to a symbolic
 * tensor and given its trained weights through a WeightBinder. A layer is named after its weights'
 * ParamStore path with `/` written as `.` (Keras forbids `/` in layer names): parameter
 * `stem/conv` is layer `stem.conv`, weight `stem.conv/kernel`.
 */
import { tf } from '../tf.ts';
import type { BatchNormSettings } from './batch-norm.ts';
import type { Pair } from './conv-ops.ts';
import type { WeightBinder } from './keras-weights.ts';

/** A symbolic tensor of the model under construction. */
export type Sym = tf.SymbolicTensor;

/** What every layer needs: where its weights come from and the network's BN settings. */
export interface KerasGraph {
  readonly binder: WeightBinder;
  readonly bn: BatchNormSettings;
}

/** The layer name of a ParamStore path. */
export function layerName(path: string): string {
  return path.replaceAll('/', '.');
}

/** Applies `layer` to one or more symbolic tensors; throws if it does not give one back. */
export function applyLayer(layer: tf.layers.Layer, input: Sym | Sym[]): Sym {
  const out = layer.apply(input);
  if (!(out instanceof tf.SymbolicTensor)) {
    throw new Error(`layer ${layer.name} did not give one symbolic tensor`);
  }
  return out;
}

/** ReLU, layer `<path>` (dotted). */
export function reluLayer(path: string, x: Sym): Sym {
  return applyLayer(tf.layers.reLU({ name: layerName(path) }), x);
}

/** How a convolution slides: strides, padding and dilation. */
export interface ConvGeometry {
  readonly strides?: Pair;
  readonly padding?: 'same' | 'valid';
  readonly dilation?: Pair;
}

/** A bias-free Conv2D with kernel `kernel` to `filters`, weight = parameter `param`. */
export function convLayer(
  g: KerasGraph,
  param: string,
  x: Sym,
  kernel: Pair,
  filters: number,
  geometry: ConvGeometry = {},
): Sym {
  const layer = tf.layers.conv2d({
    name: layerName(param),
    filters,
    kernelSize: [kernel[0], kernel[1]],
    strides: pair(geometry.strides ?? [1, 1]),
    padding: geometry.padding ?? 'same',
    dilationRate: pair(geometry.dilation ?? [1, 1]),
    useBias: false,
  });
  const y = applyLayer(layer, x);
  g.binder.bind(layer, [param]);
  return y;
}

/**
 * A SeparableConv2D (depthwise k x k at `strides`, then pointwise 1x1 to `filters`, no bias), layer
 * `<at>` with parameters `<at>/depthwise` and `<at>/pointwise`.
 */
export function separableLayer(
  g: KerasGraph,
  at: string,
  x: Sym,
  kernel: number,
  filters: number,
  strides: number,
): Sym {
  const layer = tf.layers.separableConv2d({
    name: layerName(at),
    filters,
    kernelSize: kernel,
    strides,
    padding: 'same',
    depthMultiplier: 1,
    useBias: false,
  });
  const y = applyLayer(layer, x);
  g.binder.bind(layer, [`${at}/depthwise`, `${at}/pointwise`]);
  return y;
}

/** A DepthwiseConv2D (multiplier 1, SAME, no bias) with kernel `kernel`, weight = parameter `param`. */
export function depthwiseLayer(
  g: KerasGraph,
  param: string,
  x: Sym,
  kernel: Pair,
  strides: Pair,
): Sym {
  const layer = tf.layers.depthwiseConv2d({
    name: layerName(param),
    kernelSize: pair(kernel),
    strides: pair(strides),
    padding: 'same',
    depthMultiplier: 1,
    useBias: false,
  });
  const y = applyLayer(layer, x);
  g.binder.bind(layer, [param]);
  return y;
}

/** BatchNormalization with the network's momentum and epsilon, parameters `<path>/{gamma,...}`. */
export function batchNormLayer(g: KerasGraph, path: string, x: Sym): Sym {
  const layer = tf.layers.batchNormalization({
    name: layerName(path),
    axis: -1,
    momentum: g.bn.momentum,
    epsilon: g.bn.epsilon,
  });
  const y = applyLayer(layer, x);
  const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'];
  g.binder.bind(
    layer,
    names.map((n) => `${path}/${n}`),
  );
  return y;
}

/**
 * Keeps rows and columns 0, s, 2s, ... (a 1x1 max pooling at stride s): how a stride-s dilated
 * convolution is defined here, as the stride-1 result subsampled (Keras has no strided dilation).
 */
export function subsampleLayer(path: string, x: Sym, strides: Pair): Sym {
  if (strides[0] === 1 && strides[1] === 1) return x;
  const layer = tf.layers.maxPooling2d({
    name: layerName(path),
    poolSize: [1, 1],
    strides: pair(strides),
    padding: 'valid',
  });
  return applyLayer(layer, x);
}

function pair(p: Pair): [number, number] {
  return [p[0], p[1]];
}
