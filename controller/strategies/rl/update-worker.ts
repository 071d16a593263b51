/**
 * The body of the policy-update worker thread: it runs each update it is sent (`epochs` Adam steps
 * on one minibatch, gradients by policy-gradient.ts) and writes the new parameters and Adam state
 * into the request's shared buffer, waking the thread that waits on it. It keeps each chain's last
 * result, which the chain's next update starts from unless it brings its own start. An update is a
 * pure function of where it starts and its minibatch, so it gives the same result whenever and
 * however often it is run.
 */
import { parentPort } from 'node:worker_threads';
import { adamStep } from './adam.ts';
import { policyGradient } from './policy-gradient.ts';
import {
  writeFailure,
  writeResult,
  type UpdateJob,
  type UpdateRequest,
  type UpdateStart,
  type WorkerMessage,
} from './update-protocol.ts';

/** Runs one update's Adam steps on its own arrays. */
export function runUpdate(job: UpdateJob): void {
  const { layout, options, params, adam, examples } = job;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const { grads } = policyGradient(layout, params, examples, options);
    adamStep(params, grads, adam, options.learningRate);
  }
}

/** Each chain's latest result, which its next update continues from. */
const chains = new Map<number, UpdateStart>();

/** Runs `request` from its start or its chain's last result; returns the result. */
function runRequest(request: UpdateRequest): UpdateStart {
  const start = request.start ?? chains.get(request.chain);
  if (start === undefined) {
    throw new RangeError(
      `update chain ${request.chain} has no previous result here (did the update thread restart?)`,
    );
  }
  // The arrays are this thread's own (copied by postMessage, or the chain's): updated in place.
  runUpdate({ ...request, params: start.params, adam: start.adam });
  chains.set(request.chain, start);
  return start;
}

const port = parentPort;
if (port !== null) {
  port.on('message', (message: WorkerMessage) => {
    if (message.kind === 'drop') {
      chains.delete(message.chain);
      return;
    }
    try {
      writeResult(message.shared, runRequest(message));
    } catch (err) {
      chains.delete(message.chain);
      writeFailure(message.shared, err instanceof Error ? err.message : String(err));
    }
  });
  port.postMessage('ready');
}
