/**
 * The one trainer module that imports TensorFlow.js: it chooses and loads the backend (wasm through
 * the loader both binaries share, runtime/tfjs-wasm.ts), and re-exports the `tf` namespace and the
 * tfjs types the rest of trainer/ uses.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { loadWasmBackend, WasmBackendError, type WasmBackend } from '../runtime/tfjs-wasm.ts';
import { CellsearchError } from '../shared/errors.ts';
import { findCachedNative, loadCachedNative } from './native/native-package.ts';
import { nativeInstallDir, type NativeEnv } from './native/native-layout.ts';

export { tf };
export type {
  DataType,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  Rank,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  TensorInfo,
} from '@tensorflow/tfjs';

/** Backends a trainer can ask for; `auto` tries node-gpu, node, wasm, cpu in that order. */
export type BackendChoice = 'auto' | 'node-gpu' | 'node' | 'wasm' | 'cpu';

/** A concrete backend choice (every choice but `auto`). */
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

/** The order in which `auto` tries the backends: fastest first. */
export const AUTO_ORDER: readonly ConcreteBackend[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** What {@link initBackend} loaded. */
export interface BackendInfo {
  /** What was asked for. */
  readonly choice: BackendChoice;
  /** Which candidate loaded. */
  readonly loaded: ConcreteBackend;
  /** The tfjs backend name now active: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** The device in words, e.g. `cpu (wasm, 1 thread, simd; <cpu model>)`. */
  readonly device: string;
  /** For `auto`: why each candidate tried before `loaded` could not load. */
  readonly skipped: readonly string[];
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Folder with tfjs-backend-wasm's `.wasm` files; default: the installed package's `dist/`. */
  readonly wasmDir?: string;
  /** Silence tfjs's own console warnings (its "production mode"); default true. */
  readonly quiet?: boolean;
  /**
   * Intra-op threads of the native backend (TensorFlow's thread pool); default: every core of the
   * machine. wasm and cpu always run one thread.
   */
  readonly threads?: number;
  /** Where to look for install-tensorflow's binding (NAS_NATIVE_DIR, XDG_CACHE_HOME); default process.env. */
  readonly env?: NativeEnv;
}

/** A backend that was asked for by name and cannot load here. */
export class BackendUnavailableError extends CellsearchError {
  constructor(
    readonly backend: BackendChoice,
    reason: string,
  ) {
    super('BACKEND_UNAVAILABLE', `tfjs backend "${backend}" cannot be used: ${reason}`);
  }
}

const NATIVE_PACKAGES = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
} as const;

const requireHere = createRequire(import.meta.url);

/** Which native package registered `tensorflow` in this process (one can, once). */
let nativeLoaded: 'node-gpu' | 'node' | null = null;

/**
 * Loads and activates a tfjs backend: an explicit choice loads exactly that one or throws
 * {@link BackendUnavailableError}; `auto` takes the first of {@link AUTO_ORDER} that loads.
 */
export async function initBackend(
  choice: BackendChoice,
  opts: InitBackendOptions = {},
): Promise<BackendInfo> {
  tf.env().set('PROD', opts.quiet ?? true);
  const candidates = choice === 'auto' ? AUTO_ORDER : [choice];
  const skipped: string[] = [];
  for (const candidate of candidates) {
    try {
      const device = await activate(candidate, opts);
      return { choice, loaded: candidate, backend: tf.getBackend(), device, skipped };
    } catch (err) {
      if (choice !== 'auto' || !(err instanceof BackendUnavailableError)) throw err;
      skipped.push(err.message);
    }
  }
  throw new BackendUnavailableError('auto', `no backend could load (${skipped.join('; ')})`);
}

/** Activates one backend and describes its device; throws BackendUnavailableError if it cannot. */
async function activate(backend: ConcreteBackend, opts: InitBackendOptions): Promise<string> {
  switch (backend) {
    case 'node-gpu':
    case 'node':
      return activateNative(backend, opts);
    case 'wasm':
      return activateWasm(opts.wasmDir);
    case 'cpu':
      await setBackendOrThrow('cpu', 'cpu');
      return `cpu (tfjs-backend-cpu, plain JavaScript; ${cpuModel()})`;
  }
}

/**
 * Loads tfjs-node(-gpu), which registers the `tensorflow` backend in our tfjs-core: the package
 * npm installed if its binding is there, else the binding `nas-trainer install-tensorflow` built.
 * TensorFlow reads its thread counts from the environment when the binding creates its context.
 */
async function activateNative(
  backend: 'node-gpu' | 'node',
  opts: InitBackendOptions,
): Promise<string> {
  const threads = opts.threads ?? availableParallelism();
  process.env['TF_NUM_INTRAOP_THREADS'] = String(threads);
  process.env['TF_NUM_INTEROP_THREADS'] = String(threads);
  // TensorFlow's C++ start-up notes (CPU feature flags) go to stderr unless told otherwise.
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
  // oneDNN kernels: TensorFlow turns them on by default only on some Intel CPUs; on this AMD
  // EPYC they train NASNet-A 2@384 1.46x faster (bench:train). A user's own setting wins.
  process.env['TF_ENABLE_ONEDNN_OPTS'] ??= '1';
  if (nativeLoaded === null) {
    await registerNative(backend, opts.env ?? process.env);
    nativeLoaded = backend;
  } else if (nativeLoaded !== backend) {
    const pkg = NATIVE_PACKAGES[nativeLoaded];
    throw new BackendUnavailableError(backend, `this process already loaded ${pkg}`);
  }
  await setBackendOrThrow(backend, 'tensorflow');
  const active: object = tf.backend();
  const gpu = 'isUsingGpuDevice' in active && active.isUsingGpuDevice === true;
  const version = tensorflowVersion(active);
  const plural = threads === 1 ? '' : 's';
  const lib = `libtensorflow ${version}, ${threads} thread${plural}`;
  return gpu ? `gpu (${lib} with CUDA)` : `cpu (${lib}; ${cpuModel()})`;
}

/** Registers `tensorflow` from node_modules or, failing that, from install-tensorflow's folder. */
async function registerNative(backend: 'node-gpu' | 'node', env: NativeEnv): Promise<void> {
  const pkg = NATIVE_PACKAGES[backend];
  let mod: unknown;
  try {
    // A non-literal specifier: the package is optional and its types are not installed.
    const specifier: string = pkg;
    mod = await import(specifier);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const dir = findCachedNative(pkg, env);
    if (dir === undefined) {
      const looked = nativeInstallDir(pkg, env);
      throw new BackendUnavailableError(
        backend,
        `${pkg} could not be imported (${why}), and \`nas-trainer install-tensorflow${backend === 'node-gpu' ? ' --gpu' : ''}\` has not installed it in ${looked}`,
      );
    }
    registerCached(backend, dir);
    return;
  }
  assertSharedCore(backend, pkg, mod);
}

/** Registers the `tensorflow` backend from the install folder `dir`. */
function registerCached(backend: 'node-gpu' | 'node', dir: string): void {
  const pkg = NATIVE_PACKAGES[backend];
  let loaded: ReturnType<typeof loadCachedNative>;
  try {
    loaded = loadCachedNative(dir, requireHere);
  } catch (err) {
    throw new BackendUnavailableError(backend, err instanceof Error ? err.message : String(err));
  }
  const { backendClass, binding } = loaded;
  if (typeof backendClass !== 'function') {
    throw new BackendUnavailableError(backend, `${dir} holds no NodeJSKernelBackend class`);
  }
  tf.registerBackend(
    'tensorflow',
    () => {
      const made: unknown = Reflect.construct(backendClass, [binding, pkg]);
      if (!(made instanceof tf.KernelBackend)) {
        throw new BackendUnavailableError(backend, `${dir} made no tfjs KernelBackend`);
      }
      return made;
    },
    3,
  );
}

/** `TF_Version()` of the active tensorflow backend's binding, or `?`. */
function tensorflowVersion(active: object): string {
  const binding: unknown = Reflect.get(active, 'binding');
  const version: unknown =
    typeof binding === 'object' && binding !== null ? Reflect.get(binding, 'TF_Version') : '';
  return typeof version === 'string' && version !== '' ? version : '?';
}

/** Fails when a native package brought its own tfjs-core: its tensors would not interoperate. */
function assertSharedCore(backend: ConcreteBackend, pkg: string, mod: unknown): void {
  const theirs = tensorClassOf(mod) ?? tensorClassOf(defaultExportOf(mod));
  if (theirs !== undefined && theirs !== tf.Tensor) {
    throw new BackendUnavailableError(
      backend,
      `${pkg} loaded a second copy of @tensorflow/tfjs-core; reinstall so that npm dedupes it`,
    );
  }
}

function defaultExportOf(mod: unknown): unknown {
  return typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
}

function tensorClassOf(mod: unknown): unknown {
  return typeof mod === 'object' && mod !== null && 'Tensor' in mod ? mod.Tensor : undefined;
}

/** Loads tfjs-backend-wasm through the one wasm loader (runtime/tfjs-wasm.ts) and describes it. */
async function activateWasm(wasmDir: string | undefined): Promise<string> {
  let loaded: WasmBackend;
  try {
    loaded = await loadWasmBackend(wasmDir);
  } catch (err) {
    if (err instanceof WasmBackendError) throw new BackendUnavailableError('wasm', err.reason);
    throw err;
  }
  const { threads, simd } = loaded;
  const plural = threads === 1 ? '' : 's';
  return `cpu (wasm, ${threads} thread${plural}, ${simd ? 'simd' : 'no simd'}; ${cpuModel()})`;
}

async function setBackendOrThrow(backend: ConcreteBackend, name: string): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    throw new BackendUnavailableError(backend, err instanceof Error ? err.message : String(err));
  }
  if (!ok) throw new BackendUnavailableError(backend, `tf.setBackend('${name}') failed`);
}

function cpuModel(): string {
  const all = cpus();
  return `${all[0]?.model.trim() ?? 'unknown cpu'}, ${all.length} cores`;
}
