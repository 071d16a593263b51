/**
 * The RL policy module's TensorFlow.js, on the pure-JavaScript `cpu` backend: the controller
 * process never loads wasm or native bindings, and the cpu backend is deterministic, which exact
 * resume relies on. This is the only controller module that imports @tensorflow/*.
 */
import * as tf from '@tensorflow/tfjs';
import { CellsearchError } from '../../../shared/errors.ts';

export { tf };

let selected = false;

/**
 * Selects the cpu backend, once per process. Its initialisation is synchronous, so the backend is
 * active when `setBackend` returns; this is checked rather than assumed.
 */
export function useCpuBackend(): void {
  if (selected && tf.getBackend() === 'cpu') return;
  // Production mode skips debug checks and tfjs's "install the node backend" console notice.
  tf.env().set('PROD', true);
  void tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') {
    throw new CellsearchError(
      'BACKEND_UNAVAILABLE',
      `the RL controller needs the tfjs cpu backend, but "${tf.getBackend()}" is active`,
    );
  }
  selected = true;
}
