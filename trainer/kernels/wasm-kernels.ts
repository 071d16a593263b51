/**
 * Replaces slow kernels of tfjs-backend-wasm 4.22 with faster ones of ours: the copies (and the
 * copy-free Identity) of ./wasm-copies.ts and the wide depthwise convolution of
 * ./depthwise-tiles.ts. Each replacement hands string tensors back to the kernel it replaced.
 */
import { tf } from '../tf.ts';
import type { KernelConfig, KernelFunc } from '../tf.ts';
import { tiledDepthwiseConv2d } from './depthwise-tiles.ts';
import { wasmConcat, wasmIdentity, wasmSlice, wasmSplitV } from './wasm-copies.ts';

/** The wasm kernels replaced, by tfjs kernel name; the native kernel is passed for fallbacks. */
export const WASM_REPLACEMENTS: Readonly<Record<string, (native: KernelFunc) => KernelFunc>> = {
  Slice: () => wasmSlice,
  SplitV: () => wasmSplitV,
  Concat: () => wasmConcat,
  Identity: () => wasmIdentity,
  DepthwiseConv2dNative: tiledDepthwiseConv2d,
};

const ours = new WeakSet<KernelFunc>();

/**
 * Registers the replacements of {@link WASM_REPLACEMENTS} for the `wasm` backend (it must be
 * registered, i.e. tfjs-backend-wasm imported); returns the kernel names replaced. Idempotent.
 */
export function registerWasmKernels(backendName = 'wasm'): string[] {
  const replaced: string[] = [];
  for (const [kernelName, make] of Object.entries(WASM_REPLACEMENTS)) {
    const native: KernelConfig | undefined = tf.getKernel(kernelName, backendName);
    if (native === undefined || ours.has(native.kernelFunc)) continue;
    const replacement = make(native.kernelFunc);
    const kernelFunc: KernelFunc = (params) =>
      Object.values(params.inputs).some((t) => t?.dtype === 'string')
        ? native.kernelFunc(params)
        : replacement(params);
    ours.add(kernelFunc);
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ ...native, kernelFunc });
    replaced.push(kernelName);
  }
  return replaced;
}
