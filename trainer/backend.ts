/**
 * Brings up the tfjs backend a trainer process uses: load it, then fill its missing or slow conv
 * gradient kernels and, on wasm, replace its slow copy kernels.
 */
import { registerConvGradKernels, SLOW_NATIVE_BACKPROPS } from './kernels/wasm-conv-grads.ts';
import { registerWasmKernels } from './kernels/wasm-kernels.ts';
import { initBackend, type BackendChoice, type BackendInfo } from './tf.ts';

/** Loads the backend for `choice` and registers our composed and replacement kernels it needs. */
export async function setupBackend(choice: BackendChoice): Promise<BackendInfo> {
  const info = await initBackend(choice);
  registerConvGradKernels(info.backend, { replace: SLOW_NATIVE_BACKPROPS[info.backend] ?? [] });
  if (info.backend === 'wasm') registerWasmKernels();
  return info;
}
