/**
 * Where `nas-trainer install-tensorflow` puts a tfjs-node(-gpu) binding built against the
 * TensorFlow C library of a TensorFlow wheel, and what that folder holds. The installer writes this
 * layout and the backend loader (native-package.ts) reads it, so both take their paths from here.
 *
 * The folder lives in the user's cache, outside node_modules, so `npm ci` never wipes it:
 * `<cache>/cellsearch/native/<package dir>/`, one folder per tfjs-node package and version:
 * ```
 * manifest.json                         what was built from what (NativeManifest)
 * package/                              the tfjs-node(-gpu) npm package, unpacked
 * package/lib/napi-v8/tfjs_binding.node the binding, RUNPATH $ORIGIN/../../deps/lib
 * package/deps/lib/                     libtensorflow_cc.so.2, libtensorflow_framework.so.2 (+ CUDA libs)
 * graph-addon/graph_addon.node          the graph-step addon (trainer/native/graph-addon/), RUNPATH
 *                                       $ORIGIN/../package/deps/lib
 * ```
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The two native tfjs packages; both ship the same binding sources and JavaScript. */
export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

/** The tfjs version the binding is built for: it must equal the project's @tensorflow/tfjs. */
export const TFJS_NATIVE_VERSION = '4.22.0';

/** N-API version the binding is built for (tfjs-node 4.22's newest; Node 20 offers 9). */
export const NAPI_VERSION = 8;

/** Environment variable that replaces `<cache>/cellsearch` as the root of every native install. */
export const NATIVE_DIR_ENV = 'NAS_NATIVE_DIR';

/** What `manifest.json` records; the loader reports `tensorflowVersion` in the device string. */
export interface NativeManifest {
  readonly package: NativePackage;
  readonly tfjsVersion: string;
  readonly napiVersion: number;
  /** The TensorFlow version of the C library (`TF_Version()`), e.g. `2.21.0`. */
  readonly tensorflowVersion: string;
  /** The wheel the library came from, e.g. `tensorflow_cpu-2.21.0-cp311-...whl`. */
  readonly wheel: string;
  /** ISO time of the install. */
  readonly installedAt: string;
}

/** Environment the paths depend on (process.env in production, a record in tests). */
export type NativeEnv = Readonly<Record<string, string | undefined>>;

/** The root of all native installs: $NAS_NATIVE_DIR, else $XDG_CACHE_HOME/cellsearch, else ~/.cache/cellsearch. */
export function nativeRoot(env: NativeEnv): string {
  const explicit = env[NATIVE_DIR_ENV];
  if (explicit !== undefined && explicit !== '') return explicit;
  const cache = env['XDG_CACHE_HOME'];
  const base = cache !== undefined && cache !== '' ? cache : join(homedir(), '.cache');
  return join(base, 'cellsearch');
}

/** The install folder of one package: `<root>/native/tfjs-node-4.22.0-napi8` (or tfjs-node-gpu-...). */
export function nativeInstallDir(pkg: NativePackage, env: NativeEnv): string {
  const name = pkg.slice('@tensorflow/'.length);
  return join(nativeRoot(env), 'native', `${name}-${TFJS_NATIVE_VERSION}-napi${NAPI_VERSION}`);
}

/** The graph addon's folder in an install; its binding.gyp sets the RUNPATH from there to deps/lib. */
export const GRAPH_ADDON_DIR = 'graph-addon';

/** Paths inside one install folder. */
export interface NativeLayout {
  readonly dir: string;
  readonly manifest: string;
  /** The unpacked npm package: its `dist/` is what the loader requires. */
  readonly packageDir: string;
  readonly binding: string;
  /** Where the binding's RUNPATH finds the TensorFlow libraries. */
  readonly libDir: string;
  /** The graph-step addon, built against the same library (trainer/graph/graph-addon.ts loads it). */
  readonly graphAddon: string;
}

/** The paths of the install folder `dir`. */
export function nativeLayout(dir: string): NativeLayout {
  const packageDir = join(dir, 'package');
  return {
    dir,
    manifest: join(dir, 'manifest.json'),
    packageDir,
    binding: join(packageDir, 'lib', `napi-v${NAPI_VERSION}`, 'tfjs_binding.node'),
    libDir: join(packageDir, 'deps', 'lib'),
    graphAddon: join(dir, GRAPH_ADDON_DIR, 'graph_addon.node'),
  };
}

/** Whether `value` (parsed `manifest.json`) has every field of a NativeManifest, typed right. */
export function isNativeManifest(value: unknown): value is NativeManifest {
  if (typeof value !== 'object' || value === null) return false;
  const field = (name: string): unknown => Reflect.get(value, name);
  const pkg = field('package');
  return (
    (pkg === '@tensorflow/tfjs-node' || pkg === '@tensorflow/tfjs-node-gpu') &&
    typeof field('tfjsVersion') === 'string' &&
    typeof field('napiVersion') === 'number' &&
    typeof field('tensorflowVersion') === 'string' &&
    typeof field('wheel') === 'string' &&
    typeof field('installedAt') === 'string'
  );
}
