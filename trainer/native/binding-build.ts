/**
 * Builds tfjs-node's N-API binding against the TensorFlow C library placed in the package's
 * `deps/`, with npm's node-gyp and Node's own headers, as tfjs-node's install script would with
 * the libtensorflow it downloads: binding.gyp links `-ltensorflow -ltensorflow_framework` from
 * `deps/lib` and sets the RUNPATH `$ORIGIN/../../deps/lib`.
 */
import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BuildTools } from './build-tools.ts';
import { InstallCommandError } from './errors.ts';
import { INCLUDE_DIR, type PlannedLink } from './install-plan.ts';
import { lastLines, runProcess } from './run-process.ts';

/** Where node-gyp leaves the binding, relative to the package folder. */
export const BUILT_BINDING = join('build', 'Release', 'tfjs_binding.node');

/** Creates each link under `packageDir` (the linker's `libtensorflow.so`, the CUDA libraries). */
export async function createLinks(
  packageDir: string,
  links: readonly PlannedLink[],
): Promise<void> {
  for (const link of links) {
    const path = join(packageDir, link.path);
    await mkdir(dirname(path), { recursive: true });
    await rm(path, { force: true });
    await symlink(link.target, path);
  }
}

/** The node-gyp arguments that build the binding for N-API `napiVersion` into `lib/napi-v<n>`. */
export function nodeGypArgs(tools: BuildTools, napiVersion: number): string[] {
  return [
    tools.nodeGyp,
    'rebuild',
    ...(tools.nodeDir === undefined ? [] : [`--nodedir=${tools.nodeDir}`]),
    `--python=${tools.python}`,
    `--napi_build_version=${napiVersion}`,
    '--module_name=tfjs_binding',
    `--module_path=lib/napi-v${napiVersion}`,
    '--jobs=max',
  ];
}

/**
 * Runs node-gyp in `packageDir` with the compiler that was checked (CXX) and copies the binding to
 * `binding` (the layout's `lib/napi-v8/tfjs_binding.node`).
 */
export async function buildBinding(
  tools: BuildTools,
  packageDir: string,
  napiVersion: number,
  binding: string,
): Promise<void> {
  const env = { ...process.env, CXX: tools.compiler };
  const result = await runProcess(process.execPath, nodeGypArgs(tools, napiVersion), {
    cwd: packageDir,
    env,
    timeoutMs: 10 * 60_000,
  });
  if (result.code !== 0) {
    const output = lastLines(`${result.stdout}\n${result.stderr}`, 6);
    throw new InstallCommandError(`node-gyp rebuild (in ${packageDir})`, result.code, output);
  }
  await mkdir(dirname(binding), { recursive: true });
  await copyFile(join(packageDir, BUILT_BINDING), binding);
}

/** Removes what only the build needed: node-gyp's `build/` and the headers (`deps/include`). */
export async function pruneBuildFiles(packageDir: string): Promise<void> {
  await rm(join(packageDir, 'build'), { recursive: true, force: true });
  await rm(join(packageDir, INCLUDE_DIR), { recursive: true, force: true });
}
