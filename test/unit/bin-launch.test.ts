/**
 * bin/launch.js, in a folder laid out like the package: it runs dist/ when there are no sources
 * (an installed package), dist/ in a checkout only while it is newer than every source, else the
 * source through tsx, and the source whenever NAS_FROM_SOURCE=1.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DIRS = ['shared', 'runtime', 'proto', 'controller', 'trainer'];

let root = '';
const source = (): string => join(root, 'trainer', 'main.ts');
const built = (): string => join(root, 'dist', 'trainer', 'main.js');

/** Which of the two the launcher ran: the printed word, or the error line it exited with. */
async function launched(env: NodeJS.ProcessEnv = {}): Promise<string> {
  const entry = join(root, 'bin', 'entry.js');
  try {
    const { stdout } = await run(process.execPath, [entry], { env: { ...process.env, ...env } });
    return stdout.trim();
  } catch (err) {
    return (err as { stderr: string }).stderr.trim();
  }
}

/** Sets a file's modification time to `secondsAgo` before now. */
const aged = (file: string, secondsAgo: number): Promise<void> => {
  const at = Date.now() / 1000 - secondsAgo;
  return utimes(file, at, at);
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-launch-'));
  for (const dir of [...DIRS, 'bin', 'dist/trainer'])
    await mkdir(join(root, dir), { recursive: true });
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  await copyFile(join(REPO, 'bin', 'launch.js'), join(root, 'bin', 'launch.js'));
  const entry = "import { launch } from './launch.js';\nawait launch('trainer/main');\n";
  await writeFile(join(root, 'bin', 'entry.js'), entry);
  await writeFile(built(), "console.log('dist');\n");
  const typed: string = 'source';
  await writeFile(source(), `const word: string = ${JSON.stringify(typed)};\nconsole.log(word);\n`);
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('bin/launch.js', () => {
  it('runs dist/ while it is newer than every source', async () => {
    await aged(source(), 60);
    expect(await launched()).toBe('dist');
  });

  it('runs the source through tsx once a source is newer than dist/', async () => {
    await aged(built(), 60);
    expect(await launched()).toBe('source');
  });

  it('runs the source when NAS_FROM_SOURCE=1, however fresh dist/ is', async () => {
    await aged(source(), 60);
    expect(await launched({ NAS_FROM_SOURCE: '1' })).toBe('source');
  });

  it('runs dist/ where there are no sources, as in the installed package', async () => {
    await rm(source());
    await aged(built(), 60);
    expect(await launched({ NAS_FROM_SOURCE: '1' })).toBe('dist');
  });

  it('says to build when neither dist/ nor the sources are there', async () => {
    await rm(source());
    await rm(built());
    expect(await launched()).toMatch(/dist\/trainer\/main\.js is missing; run `npm run build`$/);
  });
});
