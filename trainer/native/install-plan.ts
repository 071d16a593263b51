/**
 * What `nas-trainer install-tensorflow` does, as data: which tfjs-node package, which TensorFlow
 * wheel and pip requirement, which wheel members go where in the package, which links the link
 * step needs. Pure functions of the options, so the plan of both the cpu and the gpu variant is
 * unit-tested even where the gpu variant cannot run.
 */
import {
  NAPI_VERSION,
  nativeInstallDir,
  nativeLayout,
  TFJS_NATIVE_VERSION,
  type NativeEnv,
  type NativeLayout,
  type NativePackage,
} from './native-layout.ts';
import { UnsupportedPlatformError } from './errors.ts';

/** cpu: `tensorflow-cpu` into tfjs-node; gpu: `tensorflow[and-cuda]` into tfjs-node-gpu. */
export type InstallVariant = 'cpu' | 'gpu';

/** A symbolic link to create, both paths relative to the package folder. */
export interface PlannedLink {
  /** Where the link goes, e.g. `deps/lib/libtensorflow.so`. */
  readonly path: string;
  /** What it points to, relative to the link's folder, e.g. `libtensorflow_cc.so.2`. */
  readonly target: string;
}

/** Everything the installer needs to know before it runs anything. */
export interface InstallPlan {
  readonly variant: InstallVariant;
  readonly package: NativePackage;
  readonly tfjsVersion: string;
  readonly napiVersion: number;
  /** The TensorFlow version asked for (pip); a `--wheel` brings its own. */
  readonly tensorflowVersion: string;
  /** What pip downloads, e.g. `tensorflow-cpu==2.21.0`. */
  readonly pipRequirement: string;
  /** Whether pip resolves dependencies: only the gpu variant needs them (the nvidia-* wheels). */
  readonly pipWithDependencies: boolean;
  /** Wheel distribution names (normalised) accepted as the TensorFlow wheel; the first is pip's. */
  readonly tensorflowDistributions: readonly string[];
  /** Members every TensorFlow wheel must have: the C library and the headers binding.gyp names. */
  readonly requiredMembers: readonly string[];
  /** Whether the CUDA libraries of nvidia-* wheels go into the package too. */
  readonly withCudaLibraries: boolean;
  /** The links the binding's `-ltensorflow -ltensorflow_framework` needs. */
  readonly links: readonly PlannedLink[];
  /** The install folder and its paths (native-layout.ts). */
  readonly layout: NativeLayout;
}

/** The TensorFlow version installed when none is asked for. */
export const DEFAULT_TENSORFLOW_VERSION = '2.21.0';

/** Folder of the TensorFlow C library inside the package: binding.gyp's RUNPATH `$ORIGIN/../../deps/lib`. */
export const LIB_DIR = 'deps/lib';
/** Folder of the headers inside the package: binding.gyp's `tensorflow_include_dir`. */
export const INCLUDE_DIR = 'deps/include';
/** Folder the nvidia-* wheels' `nvidia/<name>/lib` trees are mirrored to, beside `deps/lib`. */
export const CUDA_DIR = 'deps/nvidia';

const LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'] as const;

/**
 * The headers the binding compiles against: the C API and what it includes. tfjs-node 4.22's
 * binding, compiled against TensorFlow 2.21's wheel, includes 14 headers (`g++ -M`), all in these
 * four folders; taking the folders whole (66 headers, 0.6 MB) leaves room for other versions.
 */
const HEADER_PATTERNS: readonly RegExp[] = [
  /^tensorflow\/include\/(tensorflow\/c\/.+\.h)$/,
  /^tensorflow\/include\/(xla\/tsl\/c\/[^/]+\.h)$/,
  /^tensorflow\/include\/(tsl\/platform\/ctstring[^/]*\.h)$/,
  /^tensorflow\/include\/(tensorflow\/core\/platform\/ctstring[^/]*\.h)$/,
];

/** An nvidia-* wheel's shared library: `nvidia/cublas/lib/libcublas.so.12`. */
const CUDA_LIBRARY = /^nvidia\/([^/]+)\/lib\/([^/]+\.so(\.[0-9]+)*)$/;

/** Only linux x64 has TensorFlow wheels that tfjs-node's binding.gyp links this way. */
export function checkPlatform(platform: string, arch: string): void {
  if (platform !== 'linux' || arch !== 'x64') throw new UnsupportedPlatformError(platform, arch);
}

/** The plan for `variant` and `tensorflowVersion`, installing under the root `env` names. */
export function installPlan(
  variant: InstallVariant,
  tensorflowVersion: string,
  env: NativeEnv,
): InstallPlan {
  const gpu = variant === 'gpu';
  const pkg: NativePackage = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  return {
    variant,
    package: pkg,
    tfjsVersion: TFJS_NATIVE_VERSION,
    napiVersion: NAPI_VERSION,
    tensorflowVersion,
    pipRequirement: gpu
      ? `tensorflow[and-cuda]==${tensorflowVersion}`
      : `tensorflow-cpu==${tensorflowVersion}`,
    pipWithDependencies: gpu,
    // The `tensorflow` wheel runs on CPUs too; `tensorflow-cpu` has no CUDA kernels for gpu.
    tensorflowDistributions: gpu ? ['tensorflow'] : ['tensorflow_cpu', 'tensorflow'],
    requiredMembers: [
      ...LIBRARIES.map((lib) => `tensorflow/${lib}`),
      'tensorflow/include/tensorflow/c/c_api.h',
      'tensorflow/include/tensorflow/c/eager/c_api.h',
    ],
    withCudaLibraries: gpu,
    links: [
      { path: `${LIB_DIR}/libtensorflow.so`, target: 'libtensorflow_cc.so.2' },
      { path: `${LIB_DIR}/libtensorflow_framework.so`, target: 'libtensorflow_framework.so.2' },
    ],
    layout: nativeLayout(nativeInstallDir(pkg, env)),
  };
}

/** The arguments after `python` that download the plan's TensorFlow wheel into `dest`. */
export function pipDownloadArgs(plan: InstallPlan, dest: string): readonly string[] {
  return [
    '-m',
    'pip',
    'download',
    ...(plan.pipWithDependencies ? [] : ['--no-deps']),
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '--dest',
    dest,
    plan.pipRequirement,
  ];
}

/**
 * Where a member of a TensorFlow wheel goes, relative to the package folder, or undefined when the
 * build does not need it: the two libraries to `deps/lib/`, the C API headers under `deps/include/`.
 */
export function tensorflowMemberDestination(member: string): string | undefined {
  const lib = LIBRARIES.find((name) => member === `tensorflow/${name}`);
  if (lib !== undefined) return `${LIB_DIR}/${lib}`;
  for (const pattern of HEADER_PATTERNS) {
    const header = pattern.exec(member)?.[1];
    if (header !== undefined) return `${INCLUDE_DIR}/${header}`;
  }
  return undefined;
}

/**
 * Where a member of an nvidia-* wheel goes: its shared libraries keep their wheel layout under
 * `deps/nvidia/` (as `site-packages/nvidia/` sits beside `site-packages/tensorflow/`, so
 * TensorFlow's own `$ORIGIN/../nvidia/...` search paths hold), and are linked into `deps/lib`.
 */
export function cudaMemberDestination(member: string): string | undefined {
  const match = CUDA_LIBRARY.exec(member);
  if (match === null) return undefined;
  return `${CUDA_DIR}/${match[1] ?? ''}/lib/${match[2] ?? ''}`;
}

/**
 * Links in `deps/lib` to each CUDA library placed under `deps/nvidia/`, so the binding's RUNPATH
 * finds them too; a file name that two wheels share is linked to the first.
 */
export function cudaLinks(destinations: readonly string[]): readonly PlannedLink[] {
  const links = new Map<string, PlannedLink>();
  for (const dest of destinations) {
    if (!dest.startsWith(`${CUDA_DIR}/`)) continue;
    const name = dest.slice(dest.lastIndexOf('/') + 1);
    const path = `${LIB_DIR}/${name}`;
    if (!links.has(path)) links.set(path, { path, target: `../${dest.slice('deps/'.length)}` });
  }
  return [...links.values()];
}
