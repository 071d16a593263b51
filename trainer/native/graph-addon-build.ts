/**
 * Builds the graph-step addon (trainer/native/graph-addon/: TensorFlow's C graph API for Node) in
 * an install's staging folder, against the library and C headers the install extracted into the
 * tfjs-node package's deps/, with the same node-gyp and compiler as the binding. The built file
 * goes to the layout's `graph-addon/graph_addon.node`, whose RUNPATH reaches `package/deps/lib`.
 */
import { cp, mkdir, copyFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { packagePath } from '../../runtime/package-path.ts';
import type { BuildTools } from './build-tools.ts';
import { InstallCommandError } from './errors.ts';
import { INCLUDE_DIR, LIB_DIR } from './install-plan.ts';
import { lastLines, runProcess } from './run-process.ts';

/** The addon's C++ sources and binding.gyp, shipped with the package. */
export const GRAPH_ADDON_SOURCES = packagePath('trainer', 'native', 'graph-addon');

/** Where node-gyp leaves the addon, relative to the build folder. */
const BUILT_ADDON = join('build', 'Release', 'graph_addon.node');

/**
 * Compiles the addon in `<stage>/graph-addon-build` against `packageDir`'s deps/ and copies it to
 * `addonFile`; the build folder is removed afterwards.
 */
export async function buildGraphAddon(
  tools: BuildTools,
  packageDir: string,
  stage: string,
  addonFile: string,
): Promise<void> {
  const buildDir = join(stage, 'graph-addon-build');
  await rm(buildDir, { recursive: true, force: true });
  await cp(GRAPH_ADDON_SOURCES, buildDir, { recursive: true });
  try {
    const args = [tools.nodeGyp, 'rebuild', `--python=${tools.python}`, '--jobs=max'];
    if (tools.nodeDir !== undefined) args.push(`--nodedir=${tools.nodeDir}`);
    const result = await runProcess(process.execPath, args, {
      cwd: buildDir,
      env: {
        ...process.env,
        CXX: tools.compiler,
        TF_INCLUDE: join(packageDir, INCLUDE_DIR),
        TF_LIB: join(packageDir, LIB_DIR),
      },
      timeoutMs: 10 * 60_000,
    });
    if (result.code !== 0) {
      const output = `${result.stdout}\n${result.stderr}`;
      // The compiler's first errors say what went wrong; node-gyp's last lines only that it did.
      const errors = output.split('\n').filter((line) => line.includes('error:'));
      const detail = errors.length > 0 ? errors.slice(0, 6).join(' | ') : lastLines(output, 6);
      throw new InstallCommandError(`node-gyp rebuild (in ${buildDir})`, result.code, detail);
    }
    await mkdir(dirname(addonFile), { recursive: true });
    await copyFile(join(buildDir, BUILT_ADDON), addonFile);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}
