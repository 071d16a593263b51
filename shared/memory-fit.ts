/**
 * Whether an estimated trial fits a memory limit, and the one message that says why not: the
 * trainer refuses with it (RESOURCE_EXHAUSTED) and the controller fails a trial with it, word for word.
 */
import { formatBytes } from './byte-size.ts';
import { CellsearchError } from './errors.ts';
import type { MemoryEstimate } from './memory-estimate.ts';

/**
 * Elements of the largest typed array JavaScript allocates (V8: 2^32): the CPU and WebAssembly
 * backends hold every tensor in one, and readers hold each dataset split in one.
 */
export const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** What to shrink, for the messages. */
const ALLOWED =
  'allowed: a smaller batch size, network (N@F, stem multiplier), image size or dataset';

/**
 * Why the trial cannot run within `limitBytes` (`where` names the limit, e.g. "this trainer's
 * limit (--max-memory)"; Infinity: none), or null when it fits. Every refusal starts with the
 * estimate and names the limit it breaks: the memory limit, or the largest array JavaScript holds.
 */
export function memoryRefusal(
  estimate: MemoryEstimate,
  limitBytes: number,
  where: string,
): string | null {
  const needs = `the trial needs about ${describeEstimate(estimate)}`;
  if (estimate.totalBytes > limitBytes) {
    return `${needs}, more than ${where} of ${formatBytes(limitBytes)}; ${ALLOWED}`;
  }
  const { largestArray } = estimate;
  if (largestArray.elements <= MAX_ARRAY_ELEMENTS) return null;
  const within = Number.isFinite(limitBytes)
    ? `, within ${where} of ${formatBytes(limitBytes)}`
    : '';
  return `${needs}${within}, but ${largestArray.what} as one array of ${largestArray.elements.toExponential(3)} elements; arrays hold at most 2^32 = ${MAX_ARRAY_ELEMENTS}; ${ALLOWED}`;
}

/** `12.3 GiB (dataset 11 GiB, activations 1.2 GiB, ...)`: the total and its parts, largest first. */
export function describeEstimate(estimate: MemoryEstimate): string {
  const parts = Object.entries(estimate.parts)
    .filter(([, bytes]) => bytes > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([name, bytes]) => `${PART_NAMES.get(name) ?? name} ${formatBytes(bytes)}`);
  const unknown = estimate.unknown === '' ? '' : `; not counted: ${estimate.unknown}`;
  return `${formatBytes(estimate.totalBytes)} (${parts.join(', ')}${unknown})`;
}

const PART_NAMES = new Map([
  ['weights', 'weights'],
  ['optimizer', 'gradients and momentum'],
  ['activations', 'activations'],
  ['dataset', 'dataset'],
]);

/**
 * A trial whose estimated memory exceeds a limit, refused before anything is built (a trainer
 * answers gRPC RESOURCE_EXHAUSTED); the message is {@link memoryRefusal}'s.
 */
export class TrialTooLargeError extends CellsearchError {
  constructor(message: string) {
    super('TRIAL_TOO_LARGE', message);
  }
}
