/**
 * Registers the convolution backprop kernels that tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, both DepthwiseConv2dNative backprops), composed in ./conv-backprops.ts,
 * and, on request, composed replacements for slow native ones (on wasm or any other backend).
 */
import { tf } from '../tf.ts';
import type { KernelConfig, KernelFunc } from '../tf.ts';
import { CONV_BACKPROPS } from './conv-backprops.ts';
import type { ConvBackpropKernel } from './conv-backprops.ts';
import { KernelScope } from './kernel-scope.ts';

/** The kernels this module supplies where a backend lacks them, by tfjs kernel name. */
export const CONV_GRAD_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
] as const satisfies readonly ConvBackpropKernel[];

/** Options of {@link registerConvGradKernels}. */
export interface ConvGradOptions {
  /** Kernels to replace even where the backend has its own (default none: native kernels win). */
  readonly replace?: readonly ConvBackpropKernel[];
}

/**
 * Native kernels measured slower than the composed ones (bench/conv-grads.ts; batch 32, 16x16, 32
 * channels): wasm's Conv2DBackpropInput (2-3 GFLOP/s, composed 3-10x faster) and the cpu
 * backend's filter backprops (about 0.01 GFLOP/s, composed 5-40x faster). A value for `replace`.
 */
export const SLOW_NATIVE_BACKPROPS: Readonly<Record<string, readonly ConvBackpropKernel[]>> = {
  wasm: ['Conv2DBackpropInput'],
  cpu: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'],
};

const ours = new WeakSet<KernelFunc>();

/**
 * Registers, for `backendName`, each kernel of {@link CONV_GRAD_KERNELS} that the backend does not
 * already have, and each of `opts.replace`; returns the names it registered. Idempotent.
 */
export function registerConvGradKernels(
  backendName = 'wasm',
  opts: ConvGradOptions = {},
): ConvBackpropKernel[] {
  const replace = opts.replace ?? [];
  const added: ConvBackpropKernel[] = [];
  for (const kernelName of new Set([...CONV_GRAD_KERNELS, ...replace])) {
    const existing: KernelConfig | undefined = tf.getKernel(kernelName, backendName);
    if (existing !== undefined) {
      if (ours.has(existing.kernelFunc) || !replace.includes(kernelName)) continue;
      tf.unregisterKernel(kernelName, backendName);
    }
    const kernelFunc = composed(kernelName, backendName);
    ours.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
    added.push(kernelName);
  }
  return added;
}

type Params = Parameters<KernelFunc>[0];

/** Wraps a body so that its intermediates are freed whether it returns or throws. */
function composed(kernelName: ConvBackpropKernel, backendName: string): KernelFunc {
  return ({ inputs, backend, attrs = {} }: Params) => {
    const scope = KernelScope.of(backend, backendName);
    try {
      return scope.finish(CONV_BACKPROPS[kernelName](scope, inputs, attrs));
    } catch (err) {
      scope.dispose();
      throw err;
    }
  };
}
