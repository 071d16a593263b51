/**
 * The default memory limit of a trainer's trials when `--max-memory` is not given: a share of what
 * the machine (or its cgroup) allows, and on wasm a share of what a WebAssembly heap can address,
 * small enough that a trial the estimate admits still fits the heap at its measured worst.
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/**
 * The share of memory trials may plan to use: the rest is left to the process itself, the OS and
 * the estimate's own error (it lies within a factor of two of measured peaks).
 */
export const MEMORY_SHARE = 0.75;

/** A wasm32 heap addresses at most 4 GiB; tfjs-backend-wasm keeps every tensor in it. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/**
 * The lowest ratio of the memory estimate to a trial's measured peak: 0.73, measured on tiny real
 * networks on wasm (shared/memory-estimate.ts, test/integration/memory-estimate.test.ts). A trial
 * estimated at E may so need E / 0.73.
 */
export const ESTIMATE_LOW_RATIO = 0.73;

/**
 * The share of the wasm heap trials may plan to use: below {@link ESTIMATE_LOW_RATIO}, so a trial
 * admitted at the limit needs at most 0.7 / 0.73 = 96% of the heap at its measured worst, the rest
 * left to the heap's own code, stack and fragmentation. At the whole heap, a trial estimated just
 * under 4 GiB was admitted and ran out of memory after its work had started.
 */
export const WASM_HEAP_SHARE = 0.7;

/** The default limit on wasm however much memory the machine has: 2.8 GiB. */
export const WASM_DEFAULT_LIMIT_BYTES = Math.floor(WASM_HEAP_BYTES * WASM_HEAP_SHARE);

/** How `nas-ctl train` names the limit of the machine it trains on, in a refusal. */
export const LOCAL_LIMIT =
  "this machine's default trainer memory limit (3/4 of its memory; on wasm at most 2.8 GiB, 0.7 of its 4 GiB heap)";

/** Where cgroup v2 publishes a container's memory limit ("max" when there is none). */
const CGROUP_MEMORY_MAX = '/sys/fs/cgroup/memory.max';

/**
 * The default limit per trial for tfjs backend `backend` (`tensorflow`, `wasm`, `cpu`) when
 * `capacity` trials run at once: {@link MEMORY_SHARE} of the smaller of the machine's memory and the
 * cgroup limit, split between the slots, and on wasm at most {@link WASM_DEFAULT_LIMIT_BYTES} (each
 * trial process has a heap of its own). GPU memory is not known to tfjs; node-gpu trainers take the
 * host's share (pass --max-memory to size for the GPU).
 */
export function defaultMemoryLimit(
  backend: string,
  capacity: number,
  machine: { readonly total: number; readonly cgroup: number | null } = machineMemory(),
): number {
  const host = Math.min(machine.total, machine.cgroup ?? Infinity);
  const share = Math.floor((host * MEMORY_SHARE) / Math.max(1, capacity));
  return backend === 'wasm' ? Math.min(share, WASM_DEFAULT_LIMIT_BYTES) : share;
}

/** This machine's memory and its cgroup v2 limit (null when unset or unreadable). */
export function machineMemory(): { readonly total: number; readonly cgroup: number | null } {
  return { total: totalmem(), cgroup: cgroupLimit() };
}

function cgroupLimit(): number | null {
  try {
    const text = readFileSync(CGROUP_MEMORY_MAX, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null; // no cgroup v2 here: the machine's memory is the limit
  }
}
