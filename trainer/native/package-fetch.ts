/**
 * Gets the tfjs-node(-gpu) npm package's sources with `npm pack` (npm's cache makes repeats fast;
 * no install script runs) and unpacks them: binding.gyp, binding/*.cc and the JavaScript in dist/.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { BuildToolNotFoundError, InstallCommandError } from './errors.ts';
import { lastLines, runProcess } from './run-process.ts';

/** Packs `<pkg>@<version>` into `workDir` and unpacks it to `<workDir>/package`, which it returns. */
export async function fetchPackage(
  npm: readonly string[],
  pkg: string,
  version: string,
  workDir: string,
): Promise<string> {
  const spec = `${pkg}@${version}`;
  const packDir = join(workDir, 'pack');
  await mkdir(packDir, { recursive: true });
  const [file, ...lead] = npm;
  if (file === undefined) throw new BuildToolNotFoundError('npm', 'an npm command', 'install npm');
  const args = [...lead, 'pack', spec, '--pack-destination', packDir, '--ignore-scripts'];
  const result = await runProcess(file, args, { timeoutMs: 10 * 60_000 });
  const command = `npm pack ${spec}`;
  if (result.code !== 0) {
    throw new InstallCommandError(command, result.code, lastLines(result.stderr, 4));
  }
  const tarball = (await readdir(packDir)).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) {
    throw new InstallCommandError(command, 0, `no .tgz in ${packDir}`);
  }
  // npm tarballs hold everything under `package/`.
  await extract({ file: join(packDir, tarball), cwd: workDir });
  return join(workDir, 'package');
}
