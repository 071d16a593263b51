/**
 * The default memory limit of a trainer's trials when `--max-memory` is not given: a share of what
 * the machine (or its cgroup) allows, and no more than a WebAssembly heap can address on wasm.
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

/** How `nas-ctl train` names the limit of the machine it trains on, in a refusal. */
export const LOCAL_LIMIT =
  "this machine's default trainer memory limit (3/4 of its memory, 4 GiB on wasm)";

/** Where cgroup v2 publishes a container's memory limit ("max" when there is none). */
const CGROUP_MEMORY_MAX = '/sys/fs/cgroup/memory.max';

/**
 * The default limit per trial for tfjs backend `backend` (`tensorflow`, `wasm`, `cpu`) when
 * `capacity` trials run at once: {@link MEMORY_SHARE} of the smaller of the machine's memory and the
 * cgroup limit, split between the slots, and at most the wasm heap on wasm. GPU memory is not known
 * to tfjs; node-gpu trainers take the host's share (pass --max-memory to size for the GPU).
 */
export function defaultMemoryLimit(
  backend: string,
  capacity: number,
  machine: { readonly total: number; readonly cgroup: number | null } = machineMemory(),
): number {
  const host = Math.min(machine.total, machine.cgroup ?? Infinity);
  const share = Math.floor((host * MEMORY_SHARE) / Math.max(1, capacity));
  return backend === 'wasm' ? Math.min(share, WASM_HEAP_BYTES) : share;
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
