/**
 * What the main thread and the policy-update worker exchange. An update request carries the
 * minibatch, a SharedArrayBuffer and where the update starts: copies of the parameters and Adam
 * state, or (null) the result of the previous update of the same chain, which the worker keeps, so a
 * policy can queue updates without waiting for each result. The worker writes the result into the
 * buffer and flips its status word, so the main thread can wait for it synchronously
 * (`Atomics.wait`) inside the strategy's synchronous `tell`. A drop message frees a chain.
 *
 * Buffer layout: Int32 [status, adam step, error length, reserved], then the parameters, Adam's m
 * and v as float32 in {@link PARAM_NAMES} order, then up to {@link ERROR_BYTES} of UTF-8 error text.
 */
import type { AdamState } from './adam.ts';
import type { LossOptions, TrainingExample } from './policy-objective-types.ts';
import { PARAM_NAMES, sizeOf, type PolicyLayout, type PolicyParams } from './policy-layout.ts';

/** Status word values. */
export const PENDING = 0;
export const DONE = 1;
export const FAILED = 2;

const HEADER = 4;
const ERROR_BYTES = 4096;

/** The options an update runs with. */
export interface UpdateOptions extends LossOptions {
  readonly learningRate: number;
  /** Adam steps on the minibatch. */
  readonly epochs: number;
}

/** One update's work: its arrays are the worker's own and are updated in place. */
export interface UpdateJob {
  readonly layout: PolicyLayout;
  readonly options: UpdateOptions;
  readonly params: PolicyParams;
  readonly adam: AdamState;
  readonly examples: readonly TrainingExample[];
}

/** Parameters and Adam state an update starts from. */
export interface UpdateStart {
  readonly params: PolicyParams;
  readonly adam: AdamState;
}

/** One update for the worker. */
export interface UpdateRequest {
  readonly kind: 'update';
  /** The policy's chain: its updates run in order, each from the previous one's result. */
  readonly chain: number;
  /** Where the update starts; null: from the chain's previous result. */
  readonly start: UpdateStart | null;
  readonly layout: PolicyLayout;
  readonly options: UpdateOptions;
  readonly examples: readonly TrainingExample[];
  readonly shared: SharedArrayBuffer;
}

/** Frees what the worker keeps of a chain (its last result). */
export interface DropChain {
  readonly kind: 'drop';
  readonly chain: number;
}

/** A message to the worker. */
export type WorkerMessage = UpdateRequest | DropChain;

/** A buffer for the result of an update of the parameters of `layout`. */
export function resultBuffer(layout: PolicyLayout): SharedArrayBuffer {
  const floats = PARAM_NAMES.reduce((sum, name) => sum + sizeOf(layout.shapes[name]), 0);
  return new SharedArrayBuffer(4 * (HEADER + 3 * floats) + ERROR_BYTES);
}

/** The status word of a result buffer. */
export function statusWord(shared: SharedArrayBuffer): Int32Array {
  return new Int32Array(shared, 0, HEADER);
}

/** Worker side: writes the updated parameters and Adam state, then wakes the waiting thread. */
export function writeResult(shared: SharedArrayBuffer, { params, adam }: UpdateStart): void {
  let offset = 4 * HEADER;
  for (const arrays of [params, adam.m, adam.v]) {
    for (const name of PARAM_NAMES) {
      const values = arrays[name];
      new Float32Array(shared, offset, values.length).set(values);
      offset += 4 * values.length;
    }
  }
  const words = statusWord(shared);
  words[1] = adam.step;
  Atomics.store(words, 0, DONE);
  Atomics.notify(words, 0);
}

/** Worker side: records a failure and wakes the waiting thread. */
export function writeFailure(shared: SharedArrayBuffer, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES);
  new Uint8Array(shared, shared.byteLength - ERROR_BYTES, bytes.length).set(bytes);
  const words = statusWord(shared);
  words[2] = bytes.length;
  Atomics.store(words, 0, FAILED);
  Atomics.notify(words, 0);
}

/** Main side: copies a finished result into `params` and `adam`; returns the error text on failure. */
export function readResult(
  shared: SharedArrayBuffer,
  params: PolicyParams,
  adam: AdamState,
): string | null {
  const words = statusWord(shared);
  if (Atomics.load(words, 0) === FAILED) {
    const bytes = new Uint8Array(shared, shared.byteLength - ERROR_BYTES, words[2] ?? 0);
    return new TextDecoder().decode(bytes.slice());
  }
  let offset = 4 * HEADER;
  for (const arrays of [params, adam.m, adam.v]) {
    for (const name of PARAM_NAMES) {
      const values = arrays[name];
      values.set(new Float32Array(shared, offset, values.length));
      offset += 4 * values.length;
    }
  }
  adam.step = words[1] ?? adam.step;
  return null;
}
