/**
 * The one loader of TensorFlow.js's wasm backend: the trainer's `wasm` backend (trainer/tf.ts), and
 * the tests' tfjs reference of the RL policy's objective (test/fixtures/tfjs-policy/tf.ts). It finds the
 * package's `.wasm` files, points the backend at them, activates it in this thread, and drops the
 * process listeners Emscripten's loader adds. The only runtime/ module that imports @tensorflow/*.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CellsearchError } from '../shared/errors.ts';

/** What {@link loadWasmBackend} activated. */
export interface WasmBackend {
  /** Threads its kernels run on (tfjs-backend-wasm's own count; 1 without SharedArrayBuffer). */
  readonly threads: number;
  /** Whether the SIMD build of the `.wasm` loaded. */
  readonly simd: boolean;
}

/** The wasm backend cannot load here; `reason` says why, without naming the backend. */
export class WasmBackendError extends CellsearchError {
  constructor(readonly reason: string) {
    super('BACKEND_UNAVAILABLE', `tfjs backend "wasm" cannot be used: ${reason}`);
  }
}

/**
 * Loads tfjs-backend-wasm with its `.wasm` files from `wasmDir` (default: the installed package's
 * `dist/`) and makes it this thread's backend; throws {@link WasmBackendError} when it cannot.
 */
export async function loadWasmBackend(wasmDir?: string): Promise<WasmBackend> {
  // Imported here, not at the top: loading the package registers wasm as the preferred backend,
  // which a thread that only uses cpu (the RL controller's main thread) must not see.
  const { getThreadsCount, setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  if (tf.findBackend('wasm') === null) {
    const dir = wasmDir ?? defaultWasmDir();
    if (!existsSync(join(dir, 'tfjs-backend-wasm.wasm')))
      throw new WasmBackendError(`no tfjs-backend-wasm.wasm in ${dir}`);
    setWasmPaths(`${dir}/`);
  }
  await withoutNewProcessHandlers(activate);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return { threads: getThreadsCount(), simd };
}

/** The installed tfjs-backend-wasm's `dist/` folder, where its `.wasm` files are. */
function defaultWasmDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist');
}

async function activate(): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } catch (err) {
    throw new WasmBackendError(err instanceof Error ? err.message : String(err));
  }
  if (!ok) throw new WasmBackendError("tf.setBackend('wasm') failed");
}

/**
 * Runs `init`, then removes the `uncaughtException`/`unhandledRejection` listeners it added:
 * Emscripten's wasm loader installs listeners that rethrow, turning every unhandled rejection
 * into a crash that prints the whole minified loader.
 */
async function withoutNewProcessHandlers(init: () => Promise<void>): Promise<void> {
  const uncaught = process.listeners('uncaughtException');
  const rejection = process.listeners('unhandledRejection');
  try {
    await init();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!uncaught.includes(listener)) process.off('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!rejection.includes(listener)) process.off('unhandledRejection', listener);
    }
  }
}
