/**
 * The RL policy module's TensorFlow.js. Policy updates run in a worker thread (update-worker.ts) on
 * the wasm backend: single-threaded there, so deterministic, and about 20 times faster than the
 * pure-JavaScript `cpu` backend. A thread that never loads wasm (the controller's main thread, for
 * the log-probabilities the tests compare) uses `cpu`. This is the only controller module that
 * imports @tensorflow/*.
 */
import * as tf from '@tensorflow/tfjs';
import { loadWasmBackend } from '../../../runtime/tfjs-wasm.ts';
import { CellsearchError } from '../../../shared/errors.ts';

export { tf };

let wasm = false;

/** The backend this thread computes with: wasm once {@link useWasmBackend} ran here, else cpu. */
export function ensureBackend(): void {
  const want = wasm ? 'wasm' : 'cpu';
  if (tf.getBackend() === want) return;
  // Production mode skips debug checks and tfjs's "install the node backend" console notice.
  tf.env().set('PROD', true);
  void tf.setBackend(want);
  if (tf.getBackend() !== want) {
    throw new CellsearchError(
      'BACKEND_UNAVAILABLE',
      `the RL controller needs the tfjs ${want} backend, but "${tf.getBackend()}" is active`,
    );
  }
}

/**
 * Loads tfjs-backend-wasm (its `.wasm` from the installed package) and makes it this thread's
 * backend, through the loader the trainer uses too (runtime/tfjs-wasm.ts).
 */
export async function useWasmBackend(): Promise<void> {
  tf.env().set('PROD', true);
  await loadWasmBackend();
  wasm = true;
}
