/**
 * Bias-free convolution layers whose kernels live in a ParamStore, He-normal initialised and
 * L2-decayed, computed with the wasm-safe primitives of ./conv-ops.ts.
 */
import type { tf, Tensor4D } from '../tf.ts';
import { conv2d, depthwiseConv2d, dilatedConv2d, validConv2d, type Pair } from './conv-ops.ts';
import { heNormal } from './initializers.ts';
import type { Layer } from './layer.ts';
import { KERNEL, type ParamStore } from './param-store.ts';

/** Input and output channels of a convolution. */
export interface Channels {
  readonly cin: number;
  readonly cout: number;
}

/**
 * A SAME-padded (or, with `valid`, VALID) convolution of a `kernel` [rows, columns], weight `name`.
 */
export function conv(
  store: ParamStore,
  name: string,
  kernel: Pair,
  channels: Channels,
  strides: Pair = [1, 1],
  padding: 'same' | 'valid' = 'same',
): Layer {
  const filter = convKernel(store, name, kernel, channels);
  if (padding === 'valid') return (x) => validConv2d(x, filter, strides);
  return (x) => conv2d(x, filter, strides);
}

/** A SAME-padded depthwise convolution (multiplier 1) over `channels`, weight `name`. */
export function depthwise(
  store: ParamStore,
  name: string,
  kernel: Pair,
  channels: number,
  strides: Pair = [1, 1],
): Layer {
  const [kh, kw] = kernel;
  const filter = rank4(name, store.create(name, [kh, kw, channels, 1], heNormal(kh * kw), KERNEL));
  return (x) => depthwiseConv2d(x, filter, strides);
}

/** A SAME-padded convolution dilated by `rate`, weight `name`. */
export function dilatedConv(
  store: ParamStore,
  name: string,
  kernel: Pair,
  channels: Channels,
  rate: Pair,
  strides: Pair = [1, 1],
): Layer {
  const filter = convKernel(store, name, kernel, channels);
  return (x) => dilatedConv2d(x, filter, rate, strides);
}

/** A [kh, kw, cin, cout] kernel with He-normal initialisation over its fan-in. */
function convKernel(store: ParamStore, name: string, kernel: Pair, c: Channels): Tensor4D {
  const [kh, kw] = kernel;
  const init = heNormal(kh * kw * c.cin);
  return rank4(name, store.create(name, [kh, kw, c.cin, c.cout], init, KERNEL));
}

/** The variable itself, typed as 4-D (no copy: the forward must read the live variable). */
function rank4(name: string, v: tf.Variable): Tensor4D {
  if (!isRank4(v)) throw new Error(`parameter ${name} is not 4-D: [${v.shape.join(', ')}]`);
  return v;
}

function isRank4(t: tf.Tensor): t is Tensor4D {
  return t.rank === 4;
}
