/**
 * The body of the policy-update worker thread: it loads the tfjs wasm backend once, then runs each
 * update it is sent (`epochs` Adam steps on one minibatch) and writes the new parameters and Adam
 * state into the request's shared buffer, waking the thread that waits on it. A pure function of the
 * request, so an update gives the same result whenever and however often it is run.
 */
import { parentPort } from 'node:worker_threads';
import { adamStep } from './adam.ts';
import { lossAndGradients } from './policy-loss.ts';
import { tf, useWasmBackend } from './tf.ts';
import { writeFailure, writeResult, type UpdateRequest } from './update-protocol.ts';

/** Runs one update request. */
export function runUpdate(request: UpdateRequest): void {
  const { layout, options, params, adam, examples } = request;
  const before = tf.memory().numTensors;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const { grads } = lossAndGradients(layout, params, examples, options);
    adamStep(params, grads, adam, options.learningRate);
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new RangeError(`a policy update left ${leaked} tensors behind`);
}

const port = parentPort;
if (port !== null) {
  await useWasmBackend();
  port.on('message', (request: UpdateRequest) => {
    try {
      runUpdate(request);
      writeResult(request);
    } catch (err) {
      writeFailure(request.shared, err instanceof Error ? err.message : String(err));
    }
  });
  port.postMessage('ready');
}
