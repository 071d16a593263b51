/**
 * The install's `manifest.json` (NativeManifest): read, compared with what is asked for (so a
 * repeated install is a no-op), and written last, atomically, once the install is in place.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isNativeManifest, type NativeManifest } from './native-layout.ts';
import type { InstallPlan } from './install-plan.ts';
import { parseWheelName } from './wheel-name.ts';

/** The manifest at `path`, or undefined when there is none or it is not a manifest. */
export async function readManifest(path: string): Promise<NativeManifest | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  return isNativeManifest(value) ? value : undefined;
}

/**
 * Whether `manifest` records the install `plan` asks for: same package, tfjs and N-API versions,
 * and the same wheel file when `wheel` (a `--wheel` base name) is given, else a wheel of pip's
 * distribution at the plan's TensorFlow version.
 */
export function manifestMatches(
  manifest: NativeManifest,
  plan: InstallPlan,
  wheel: string | undefined,
): boolean {
  if (
    manifest.package !== plan.package ||
    manifest.tfjsVersion !== plan.tfjsVersion ||
    manifest.napiVersion !== plan.napiVersion
  ) {
    return false;
  }
  if (wheel !== undefined) return manifest.wheel === wheel;
  const installed = parseWheelName(manifest.wheel);
  return (
    installed !== undefined &&
    installed.distribution === plan.tensorflowDistributions[0] &&
    installed.version === plan.tensorflowVersion
  );
}

/** Writes `manifest` to `path` through a temporary file and a rename, so readers never see half. */
export async function writeManifest(path: string, manifest: NativeManifest): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(partial, path);
}
