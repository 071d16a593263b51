/**
 * Every stock layer class a saved cellsearch model is made of (trainer/network/step-layers.ts and
 * layers-model.ts build them), each with what a Keras 3 `.keras` file needs of it: its config in
 * Keras 3's argument names, the shape it outputs, whether Keras records a build_config for it
 * (layers with a `build` of their own do), extra call kwargs Keras serialises, and its weights in
 * the order Keras creates its variables. A config keeps only the arguments that define the
 * computation; every other argument (initializers, regularizers, ...) is Keras' default, so the
 * file loads in any Keras 3 release without custom objects.
 */
import { UnsupportedError } from '../../shared/errors.ts';
import {
  channelsLast,
  flag,
  int,
  num,
  padding,
  pads,
  pair,
  shape,
  text,
  type TfjsLayer,
} from './tfjs-layer-config.ts';

/** A tensor shape, batch dimension first (`null`: any). */
export type KerasShape = readonly (number | null)[];

export type { TfjsLayer };

/** What the export needs of one layer class. */
export interface KerasLayerKind {
  /** The Keras 3 config (less `name` and `trainable`, which every layer has). */
  config(layer: TfjsLayer): Record<string, unknown>;
  /** The output shape given the input shapes (one per input tensor). */
  outputShape(layer: TfjsLayer, inputs: readonly KerasShape[]): KerasShape;
  /** The layer's weight names (`kernel`, `gamma`, ...) in Keras' variable order. */
  weights(layer: TfjsLayer): readonly string[];
  /** Keras builds it with a `build` of its own, so its config records the input shape. */
  readonly buildConfig: boolean;
  /** Keyword arguments Keras writes for its call (BatchNormalization's `mask`). */
  readonly callKwargs?: Readonly<Record<string, null>>;
  /** It takes a list of tensors (Add, Concatenate). */
  readonly merge?: boolean;
}

const conv = {
  config: (l: TfjsLayer) => ({
    kernel_size: pair(l, 'kernel_size'),
    strides: pair(l, 'strides'),
    padding: padding(l),
    data_format: channelsLast(l),
    dilation_rate: pair(l, 'dilation_rate'),
    activation: text(l, 'activation'),
    use_bias: flag(l, 'use_bias'),
  }),
  buildConfig: true,
};

/** The layer classes, by the class name tfjs and Keras share. */
export const KERAS_LAYER_KINDS = {
  InputLayer: {
    config: (l) => ({
      batch_shape: shape(l, 'batch_input_shape'),
      dtype: 'float32',
      sparse: false,
    }),
    outputShape: (l) => shape(l, 'batch_input_shape'),
    weights: () => [],
    buildConfig: false,
  },
  Conv2D: {
    config: (l) => ({ filters: int(l, 'filters'), ...conv.config(l) }),
    outputShape: (l, [x]) => spatial(x, convWindow(l), int(l, 'filters')),
    weights: (l) => withBias(l, ['kernel']),
    buildConfig: true,
  },
  DepthwiseConv2D: {
    config: (l) => ({ depth_multiplier: int(l, 'depth_multiplier'), ...conv.config(l) }),
    outputShape: (l, [x]) => spatial(x, convWindow(l), channels(l, x) * int(l, 'depth_multiplier')),
    weights: (l) => withBias(l, ['depthwise_kernel']),
    buildConfig: true,
  },
  SeparableConv2D: {
    config: (l) => ({
      // tfjs leaves depth_multiplier out of a SeparableConv2D's config: its default, 1.
      depth_multiplier: l.config['depth_multiplier'] === undefined ? 1 : int(l, 'depth_multiplier'),
      filters: int(l, 'filters'),
      ...conv.config(l),
    }),
    outputShape: (l, [x]) => spatial(x, convWindow(l), int(l, 'filters')),
    weights: (l) => withBias(l, ['depthwise_kernel', 'pointwise_kernel']),
    buildConfig: true,
  },
  BatchNormalization: {
    config: (l) => ({
      axis: int(l, 'axis'),
      momentum: num(l, 'momentum'),
      epsilon: num(l, 'epsilon'),
      center: flag(l, 'center'),
      scale: flag(l, 'scale'),
    }),
    outputShape: (_, [x]) => one(x),
    weights: (l) => [
      ...(flag(l, 'scale') ? ['gamma'] : []),
      ...(flag(l, 'center') ? ['beta'] : []),
      'moving_mean',
      'moving_variance',
    ],
    buildConfig: true,
    callKwargs: { mask: null },
  },
  ReLU: {
    config: (l) => ({ max_value: l.config['max_value'] ?? null, negative_slope: 0, threshold: 0 }),
    outputShape: (_, [x]) => one(x),
    weights: () => [],
    buildConfig: false,
  },
  Activation: {
    config: (l) => ({ activation: text(l, 'activation') }),
    outputShape: (_, [x]) => one(x),
    weights: () => [],
    buildConfig: false,
  },
  MaxPooling2D: pooling(),
  AveragePooling2D: pooling(),
  ZeroPadding2D: {
    config: (l) => ({ padding: pads(l, 'padding'), data_format: channelsLast(l) }),
    outputShape: (l, [x]) => resize(x, pads(l, 'padding'), 1),
    weights: () => [],
    buildConfig: true,
  },
  Cropping2D: {
    config: (l) => ({ cropping: pads(l, 'cropping'), data_format: channelsLast(l) }),
    outputShape: (l, [x]) => resize(x, pads(l, 'cropping'), -1),
    weights: () => [],
    buildConfig: true,
  },
  Add: {
    config: () => ({}),
    outputShape: (_, [x]) => one(x),
    weights: () => [],
    buildConfig: true,
    merge: true,
  },
  Concatenate: {
    config: (l) => ({ axis: int(l, 'axis') }),
    outputShape: (l, xs) => concatenated(l, xs),
    weights: () => [],
    buildConfig: true,
    merge: true,
  },
  GlobalAveragePooling2D: {
    config: (l) => ({ data_format: channelsLast(l), keepdims: false }),
    outputShape: (l, [x]) => [one(x)[0] ?? null, channels(l, x)],
    weights: () => [],
    buildConfig: false,
  },
  Dense: {
    config: (l) => ({
      units: int(l, 'units'),
      activation: text(l, 'activation'),
      use_bias: flag(l, 'use_bias'),
    }),
    outputShape: (l, [x]) => [...one(x).slice(0, -1), int(l, 'units')],
    weights: (l) => withBias(l, ['kernel']),
    buildConfig: true,
  },
} satisfies Record<string, KerasLayerKind>;

/** The class names the export supports. */
export type KerasClassName = keyof typeof KERAS_LAYER_KINDS;

/** The kind of tfjs class `className`; throws naming the layer when the export lacks it. */
export function kerasLayerKind(className: string, layer: string): KerasLayerKind {
  const kinds: Readonly<Record<string, KerasLayerKind>> = KERAS_LAYER_KINDS;
  const kind = Object.hasOwn(kinds, className) ? kinds[className] : undefined;
  if (kind === undefined) {
    const known = Object.keys(KERAS_LAYER_KINDS).join(', ');
    throw new UnsupportedError(`layer ${layer} is a ${className}; the export knows ${known}`);
  }
  return kind;
}

function pooling(): KerasLayerKind {
  return {
    config: (l) => ({
      pool_size: pair(l, 'pool_size'),
      padding: padding(l),
      strides: pair(l, 'strides'),
      data_format: channelsLast(l),
    }),
    outputShape: (l, [x]) => spatial(x, convWindow(l, 'pool_size'), channels(l, x)),
    weights: () => [],
    buildConfig: false,
  };
}

/** How a convolution or pooling window slides. */
interface Window {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly same: boolean;
}

function convWindow(l: TfjsLayer, kernel = 'kernel_size'): Window {
  const same = padding(l) === 'same';
  const dilation = kernel === 'kernel_size' ? pair(l, 'dilation_rate') : ([1, 1] as const);
  return { kernel: pair(l, kernel), strides: pair(l, 'strides'), dilation, same };
}

/** Conv and pooling arithmetic: SAME gives ceil(n / s); VALID ceil((n - (k - 1) d) / s). */
function spatial(x: KerasShape | undefined, w: Window, out: number): KerasShape {
  const [batch, ...rest] = one(x);
  const size = (n: number | null | undefined, i: 0 | 1): number | null => {
    if (n === null || n === undefined) return null;
    return Math.ceil((w.same ? n : n - (w.kernel[i] - 1) * w.dilation[i]) / w.strides[i]);
  };
  return [batch ?? null, size(rest[0], 0), size(rest[1], 1), out];
}

function resize(x: KerasShape | undefined, p: number[][], sign: 1 | -1): KerasShape {
  const [batch, h, w, c] = one(x);
  const by = (n: number | null | undefined, i: number): number | null =>
    n === null || n === undefined ? null : n + sign * ((p[i]?.[0] ?? 0) + (p[i]?.[1] ?? 0));
  return [batch ?? null, by(h, 0), by(w, 1), c ?? null];
}

function concatenated(l: TfjsLayer, xs: readonly KerasShape[]): KerasShape {
  const first = one(xs[0]);
  const axis = (int(l, 'axis') + first.length) % first.length;
  const total = xs.reduce<number | null>((sum, x) => {
    const d = x[axis];
    return sum === null || d === null || d === undefined ? null : sum + d;
  }, 0);
  return first.map((d, i) => (i === axis ? total : d));
}

function one(x: KerasShape | undefined): KerasShape {
  if (x === undefined) throw new Error('a layer without an input');
  return x;
}

function channels(l: TfjsLayer, x: KerasShape | undefined): number {
  const c = one(x).at(-1);
  if (typeof c !== 'number') throw new UnsupportedError(`layer ${l.name}: unknown channel count`);
  return c;
}

function withBias(l: TfjsLayer, kernels: readonly string[]): readonly string[] {
  return flag(l, 'use_bias') ? [...kernels, 'bias'] : kernels;
}
