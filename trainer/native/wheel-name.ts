/**
 * Wheel file names (PEP 427: `{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl`)
 * and sorting a set of wheels into the TensorFlow wheel and the nvidia-* wheels a plan uses.
 */
import { basename } from 'node:path';
import { WheelNotUsableError } from './errors.ts';
import type { InstallPlan } from './install-plan.ts';

/** The parts of a wheel file name the installer looks at. */
export interface WheelName {
  /** Normalised (lower case, runs of `-_.` as `_`), e.g. `tensorflow_cpu`. */
  readonly distribution: string;
  readonly version: string;
  /** The platform tag, e.g. `manylinux_2_27_x86_64`. */
  readonly platform: string;
}

/** The wheels one install reads. */
export interface WheelSet {
  /** The TensorFlow wheel: the C library and headers. */
  readonly tensorflow: string;
  /** nvidia-* wheels whose CUDA libraries go into the package (gpu only). */
  readonly cuda: readonly string[];
}

/** Parses the base name of `file`, or undefined when it is not a wheel file name. */
export function parseWheelName(file: string): WheelName | undefined {
  const name = basename(file);
  if (!name.endsWith('.whl')) return undefined;
  const parts = name.slice(0, -'.whl'.length).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [distribution, version] = parts;
  const platform = parts.at(-1);
  if (distribution === undefined || version === undefined || platform === undefined) {
    return undefined;
  }
  return { distribution: distribution.toLowerCase().replace(/[-_.]+/g, '_'), version, platform };
}

/**
 * Sorts `files` (`--wheel` arguments) into the plan's wheels: exactly one TensorFlow wheel of an
 * accepted distribution, and with gpu any number of nvidia-* wheels; all for linux x86_64.
 */
export function classifyWheels(files: readonly string[], plan: InstallPlan): WheelSet {
  const tensorflow: string[] = [];
  const cuda: string[] = [];
  for (const file of files) {
    const wheel = parseWheelName(file);
    if (wheel === undefined) {
      throw new WheelNotUsableError(
        file,
        'not a wheel file name (<name>-<version>-...-<platform>.whl)',
      );
    }
    if (!isLinuxX64(wheel.platform)) {
      throw new WheelNotUsableError(
        file,
        `built for ${wheel.platform}; allowed: linux x86_64 wheels`,
      );
    }
    if (plan.tensorflowDistributions.includes(wheel.distribution)) tensorflow.push(file);
    else if (plan.withCudaLibraries && wheel.distribution.startsWith('nvidia_')) cuda.push(file);
    else
      throw new WheelNotUsableError(
        file,
        `distribution ${wheel.distribution}; allowed: ${allowed(plan)}`,
      );
  }
  const [first, second] = tensorflow;
  if (first === undefined) {
    throw new WheelNotUsableError(
      files.join(', '),
      `no TensorFlow wheel; allowed: ${allowed(plan)}`,
    );
  }
  if (second !== undefined) {
    throw new WheelNotUsableError(`${first}, ${second}`, 'two TensorFlow wheels; give one');
  }
  return { tensorflow: first, cuda };
}

/**
 * Picks the plan's wheels out of what pip downloaded: with gpu, pip also fetches TensorFlow's
 * Python dependencies (numpy, keras, ...), which the install leaves alone.
 */
export function pickDownloadedWheels(files: readonly string[], plan: InstallPlan): WheelSet {
  const wanted = files.filter((file) => {
    const name = parseWheelName(file)?.distribution ?? '';
    return (
      plan.tensorflowDistributions.includes(name) ||
      (plan.withCudaLibraries && name.startsWith('nvidia_'))
    );
  });
  return classifyWheels(wanted, plan);
}

/** `linux_x86_64`, `manylinux_2_27_x86_64`, `manylinux2014_x86_64` (compound tags: any part). */
function isLinuxX64(platform: string): boolean {
  return platform.split('.').some((tag) => /^(many|musl)?linux.*_x86_64$/.test(tag));
}

function allowed(plan: InstallPlan): string {
  const names = plan.tensorflowDistributions.join(' or ');
  return plan.withCudaLibraries ? `${names}, plus nvidia-* wheels` : names;
}
