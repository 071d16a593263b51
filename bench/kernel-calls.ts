/**
 * Kernel calls of one training step, counted where they cost: on the tensorflow backend each
 * TensorFlow op the binding executes (tfjs-node's executeSingleOutput / executeMultipleOutputs;
 * a tfjs kernel may run several, an Identity or a customGrad wrapper none); elsewhere each
 * registered kernel tfjs runs (tf.profile's entries that name a kernel of the backend, not the
 * `forward` wrappers of custom gradients or op scopes).
 */
import { tf } from '../trainer/tf.ts';

const EXECUTES = ['executeSingleOutput', 'executeMultipleOutputs'] as const;

/** Runs `step` once and returns how many kernel calls it made on the active backend. */
export async function countKernelCalls(step: () => void): Promise<number> {
  const backend: object = tf.backend();
  if (EXECUTES.every((m) => typeof Reflect.get(backend, m) === 'function')) {
    return countTensorflowOps(backend, step);
  }
  const info = await tf.profile(step);
  const name = tf.getBackend();
  return info.kernels.filter((k) => tf.getKernel(k.name, name) !== undefined).length;
}

/** Wraps the backend's two op-executing methods on the instance for one step. */
function countTensorflowOps(backend: object, step: () => void): number {
  let calls = 0;
  for (const method of EXECUTES) {
    const original: unknown = Reflect.get(backend, method);
    if (typeof original !== 'function') continue;
    Reflect.set(backend, method, function (this: unknown, ...args: unknown[]): unknown {
      calls++;
      const result: unknown = Reflect.apply(original, this, args);
      return result;
    });
  }
  try {
    step();
  } finally {
    for (const method of EXECUTES) Reflect.deleteProperty(backend, method);
  }
  return calls;
}
