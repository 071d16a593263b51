/**
 * The policy-update worker thread, seen from the main thread: one per process, started on first use
 * (or by {@link prepareRlStrategy}) and unref'd, so it never keeps the process alive. An update is
 * sent with {@link startUpdate} and collected with {@link PendingUpdate.wait}, which blocks with
 * `Atomics.wait` only if the worker has not finished it yet: the strategy stays synchronous while
 * the tfjs work runs on another core.
 *
 * Compiled (dist/), the worker is update-worker.js beside this module. Run from the TypeScript
 * sources, a two-line ES-module bootstrap registers tsx's loader in it first, as bin/launch.js does
 * for the main thread.
 */
import { Worker } from 'node:worker_threads';
import { CellsearchError } from '../../../shared/errors.ts';
import type { AdamState } from './adam.ts';
import type { TrainingExample } from './policy-objective-types.ts';
import { mapParams, type PolicyLayout, type PolicyParams } from './policy-layout.ts';
import {
  PENDING,
  readResult,
  resultBuffer,
  statusWord,
  type UpdateOptions,
  type UpdateRequest,
  type UpdateStart,
} from './update-protocol.ts';

/** How long `wait` blocks before it gives up on the worker (it includes the worker's start-up). */
const WAIT_LIMIT_MS = 300_000;

/** A policy update that failed or never finished. */
export class PolicyUpdateError extends CellsearchError {
  constructor(message: string) {
    super('RL_UPDATE_FAILED', `the RL policy update failed: ${message}`);
  }
}

let worker: { thread: Worker; ready: Promise<void> } | null = null;

/** The worker's entry: the compiled module, or from the sources a bootstrap that loads tsx first. */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./update-worker.js', import.meta.url);
  const api = import.meta.resolve('tsx/esm/api');
  const body = new URL('./update-worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(api)};\nregister();\nawait import(${JSON.stringify(body)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

function thread(): { thread: Worker; ready: Promise<void> } {
  if (worker !== null) return worker;
  const started = new Worker(workerEntry());
  started.unref();
  const ready = new Promise<void>((resolve, reject) => {
    started.once('message', () => resolve());
    started.once('error', reject);
  });
  // A worker that dies leaves the current wait to time out; the next update starts a new one.
  started.once('exit', () => {
    if (worker?.thread === started) worker = null;
  });
  worker = { thread: started, ready };
  return worker;
}

/**
 * Starts the update worker and waits until it is ready. Optional: without it the first policy
 * update waits for the start-up instead (about a second, once per process).
 */
export async function prepareRlStrategy(): Promise<void> {
  await thread().ready;
}

/** An update sent to the worker. */
export class PendingUpdate {
  constructor(private readonly shared: SharedArrayBuffer) {}

  /** Blocks until the update is done, then writes the new parameters and Adam state into the given ones. */
  wait(params: PolicyParams, adam: AdamState): void {
    const words = statusWord(this.shared);
    const deadline = performance.now() + WAIT_LIMIT_MS;
    while (Atomics.load(words, 0) === PENDING) {
      const left = deadline - performance.now();
      if (left <= 0) throw new PolicyUpdateError(`no result within ${WAIT_LIMIT_MS / 1000} s`);
      Atomics.wait(words, 0, PENDING, left);
    }
    const error = readResult(this.shared, params, adam);
    if (error !== null) throw new PolicyUpdateError(error);
  }
}

/**
 * Sends one update of `chain` to the worker: from copies of `start`, or (null) from the result of
 * the chain's previous update.
 */
export function startUpdate(
  chain: number,
  layout: PolicyLayout,
  options: UpdateOptions,
  start: UpdateStart | null,
  examples: readonly TrainingExample[],
): PendingUpdate {
  const copy = (arrays: PolicyParams): PolicyParams =>
    mapParams(layout, (name) => Float32Array.from(arrays[name]));
  const from =
    start === null
      ? null
      : {
          params: copy(start.params),
          adam: { m: copy(start.adam.m), v: copy(start.adam.v), step: start.adam.step },
        };
  const shared = resultBuffer(layout);
  const request: UpdateRequest = {
    kind: 'update',
    chain,
    start: from,
    layout,
    options,
    examples,
    shared,
  };
  thread().thread.postMessage(request);
  return new PendingUpdate(shared);
}

/** Frees what the worker keeps of `chain`, once none of its updates is outstanding. */
export function dropChain(chain: number): void {
  worker?.thread.postMessage({ kind: 'drop', chain });
}
