/**
 * Loads the `tensorflow` tfjs backend from a tfjs-node(-gpu) binding that
 * `nas-trainer install-tensorflow` built into the user's cache (native-layout.ts), for machines
 * where `npm ci` could not install the package itself. The cached package's JavaScript is the
 * package's own; its bare imports (`@tensorflow/tfjs`, `google-protobuf`) resolve from this
 * project's node_modules, as they would if npm had installed it there, so its kernels register in
 * the same tfjs-core instance the trainer uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire, isBuiltin } from 'node:module';
import { isAbsolute, sep } from 'node:path';
import { CellsearchError } from '../../shared/errors.ts';
import {
  isNativeManifest,
  nativeInstallDir,
  nativeLayout,
  type NativeEnv,
  type NativeManifest,
  type NativePackage,
} from './native-layout.ts';

/** The cached install could not be loaded; the message names the folder and the cause. */
export class NativeInstallError extends CellsearchError {
  constructor(message: string) {
    super('NATIVE_INSTALL', message);
  }
}

/** What {@link loadCachedNative} needs from the tfjs-node package and gives back. */
export interface CachedNative {
  /** The install folder it was loaded from. */
  readonly dir: string;
  readonly manifest: NativeManifest;
  /** The N-API binding object (tfjs-node's `TFJSBinding`). */
  readonly binding: unknown;
  /** tfjs-node's `NodeJSKernelBackend` class: `new (binding, packageName)`. */
  readonly backendClass: unknown;
}

/** The install folder of `pkg` if install-tensorflow put one there (its manifest exists). */
export function findCachedNative(pkg: NativePackage, env: NativeEnv): string | undefined {
  const dir = nativeInstallDir(pkg, env);
  return existsSync(nativeLayout(dir).manifest) ? dir : undefined;
}

/**
 * Requires the cached package's kernels (registering them for `tensorflow` in the project's
 * tfjs-core), its kernel backend class and its binding. `projectRequire` resolves the bare imports.
 */
export function loadCachedNative(dir: string, projectRequire: NodeJS.Require): CachedNative {
  const layout = nativeLayout(dir);
  const manifest = readManifest(layout.manifest);
  if (!existsSync(layout.binding)) {
    throw new NativeInstallError(
      `${layout.binding} is missing; run \`nas-trainer install-tensorflow --force\` again`,
    );
  }
  const cachedRequire = createRequire(layout.binding);
  return withBareImportsFrom(layout.packageDir, projectRequire, () => {
    cachedRequire('../../dist/register_all_kernels.js');
    const backendModule: unknown = cachedRequire('../../dist/nodejs_kernel_backend.js');
    const backendClass = propertyOf(backendModule, 'NodeJSKernelBackend');
    let binding: unknown;
    try {
      binding = cachedRequire(layout.binding);
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new NativeInstallError(`the binding in ${dir} does not load (${why})`);
    }
    return { dir, manifest, binding, backendClass };
  });
}

function readManifest(path: string): NativeManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new NativeInstallError(`cannot read ${path} (${why}); run install-tensorflow --force`);
  }
  if (!isNativeManifest(value)) {
    throw new NativeInstallError(`${path} is not an install-tensorflow manifest; run it again`);
  }
  return value;
}

function propertyOf(mod: unknown, name: string): unknown {
  if (typeof mod === 'object' && mod !== null && name in mod) return Reflect.get(mod, name);
  throw new NativeInstallError(`the cached tfjs-node package exports no ${name}`);
}

/**
 * Runs `load` while bare imports made by files under `root` resolve through `projectRequire`;
 * relative imports and Node built-ins resolve as usual. The hook is removed afterwards.
 */
function withBareImportsFrom<T>(root: string, projectRequire: NodeJS.Require, load: () => T): T {
  // Node's CommonJS resolver (`Module._resolveFilename`), the one hook CommonJS loading has on
  // Node 20; module-alias and proxyquire hook it the same way.
  const found: unknown = Reflect.get(Module, '_resolveFilename');
  if (typeof found !== 'function') {
    throw new NativeInstallError(
      'this Node.js has no Module._resolveFilename to load tfjs-node with',
    );
  }
  const original = found;
  const prefix = root.endsWith(sep) ? root : root + sep;
  function resolve(this: unknown, request: string, parent: unknown, ...rest: unknown[]): unknown {
    if (isBare(request) && filenameOf(parent).startsWith(prefix)) {
      return projectRequire.resolve(request);
    }
    return Reflect.apply(original, this, [request, parent, ...rest]);
  }
  Reflect.set(Module, '_resolveFilename', resolve);
  try {
    return load();
  } finally {
    Reflect.set(Module, '_resolveFilename', original);
  }
}

function isBare(request: string): boolean {
  return !request.startsWith('.') && !isAbsolute(request) && !isBuiltin(request);
}

function filenameOf(parent: unknown): string {
  if (typeof parent !== 'object' || parent === null || !('filename' in parent)) return '';
  return typeof parent.filename === 'string' ? parent.filename : '';
}
