/**
 * A new matrix-product kernel for this thread: the WebAssembly SIMD one, or where the engine cannot
 * compile it (no WebAssembly, as under `node --jitless`) the plain-JavaScript one, whose results
 * are bit-identical, so a search gives the same candidates either way.
 */
import { createJsGemm } from './js-gemm.ts';
import type { PolicyKernel } from './policy-kernel.ts';
import { createWasmGemm } from './wasm-gemm.ts';

/** The fastest kernel this engine runs. */
export function fastestGemm(): PolicyKernel {
  try {
    return createWasmGemm();
  } catch {
    return createJsGemm();
  }
}
