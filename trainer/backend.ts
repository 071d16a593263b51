/** Brings up the tfjs backend a trainer process uses: load it, then fill its missing or slow conv gradient kernels. */
import { registerConvGradKernels, SLOW_NATIVE_BACKPROPS } from './kernels/wasm-conv-grads.ts';
import { initBackend, type BackendChoice, type BackendInfo } from './tf.ts';

/** Loads the backend for `choice` and registers our composed conv backprop kernels where it needs them. */
export async function setupBackend(choice: BackendChoice): Promise<BackendInfo> {
  const info = await initBackend(choice);
  registerConvGradKernels(info.backend, { replace: SLOW_NATIVE_BACKPROPS[info.backend] ?? [] });
  return info;
}
