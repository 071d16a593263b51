/**
 * The npm package outside the repository. `npm pack` (its prepack builds dist/) gives a tarball of
 * compiled JavaScript and the files the code reads at run time, no TypeScript and no tests;
 * installed into an empty folder, its nas-ctl answers --help, runs a tiny RL search on a local
 * trainer (the policy update's worker thread, trial processes) and serves the dashboard of that
 * run, and its nas-trainer serve answers gRPC health and reads the embedded dataset. Slow (a real `npm install`, which compiles better-sqlite3 where its prebuilt
 * binary cannot be downloaded: about 4 minutes on 2 busy cores), so it runs on its own after the
 * rest of `npm test` (`npm run test:pack`, vitest.pack.config.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_SEARCH_FLAGS } from '../fixtures/fast-search.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { createTrainerClient } from '../../controller/trainer-client/trainer-client.ts';
import { healthCheck } from './grpc-helpers.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));

let dir = '';
let consumer = '';
let files: string[] = [];
let builtAt = 0;
const children: ChildProcess[] = [];

/** An installed binary of the consumer folder (node_modules/.bin/...). */
const bin = (name: string): string => join(consumer, 'node_modules', '.bin', name);

/** Starts `bin args` in the consumer folder; resolves with the child and the first `pattern` match on `stream`. */
async function started(
  name: string,
  args: readonly string[],
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
): Promise<{ child: ChildProcess; match: string }> {
  const child = spawn(bin(name), args, { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const match = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child[stream] }).on('line', (line) => {
      const found = pattern.exec(line);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`)));
  });
  return { child, match };
}

/** Sends SIGTERM and resolves with the exit code. */
function stopped(child: ChildProcess): Promise<number | null> {
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exit;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellsearch-pack-'));
  const packStart = Date.now();
  await run('npm', ['pack', '--pack-destination', dir], { cwd: REPO, maxBuffer: 64 << 20 });
  builtAt = (await stat(join(REPO, 'dist', 'controller', 'cli.js'))).mtimeMs - packStart;
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball in ${dir}`);
  const listed = await run('tar', ['-tzf', join(dir, tarball)], { maxBuffer: 16 << 20 });
  files = listed.stdout
    .split('\n')
    .filter((f) => f !== '')
    .map((f) => f.replace(/^package\//, ''));
  consumer = join(dir, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)];
  await run('npm', install, { cwd: consumer, maxBuffer: 64 << 20 });
}, 900_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('the packed package, installed outside the repository', () => {
  it('ships the compiled build and its run-time files, no TypeScript or tests', () => {
    expect(builtAt).toBeGreaterThan(0);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/nas-ctl.js',
        'bin/nas-trainer.js',
        'dist/controller/cli.js',
        'dist/trainer/main.js',
        'dist/controller/strategies/rl/update-worker.js',
        'proto/nas/v1/trainer_service.proto',
        'controller/dashboard/page/index.html',
        'trainer/native/graph-addon/binding.gyp',
        'datasets/fashion-mnist-small/train-images-idx3-ubyte.gz',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/'))).toEqual([]);
  });

  it('nas-ctl --help answers through npx', async () => {
    const { stdout } = await run('npx', ['--no-install', 'nas-ctl', '--help'], { cwd: consumer });
    expect(stdout).toMatch(/^Usage: nas-ctl /);
  });

  it('runs a tiny RL search on a local trainer, then serves its dashboard', async () => {
    const args = ['search', '--strategy', 'rl', '--trials', '2', '--local-trainers', '1'];
    const flags = [
      ...FAST_SEARCH_FLAGS,
      '--backend',
      'cpu',
      '--progress',
      'none',
      '--run-dir',
      'run',
    ];
    const { stdout } = await run(bin('nas-ctl'), [...args, ...flags], { cwd: consumer });
    expect(stdout).toContain('summary: 2 trials finished: 2 succeeded');
    const { child, match } = await started(
      'nas-ctl',
      ['dashboard', 'run', '--port', '0'],
      'stdout',
      /nas-ctl dashboard on (http:\/\/\S+)/,
    );
    for (const path of ['', 'app.js', 'style.css', 'lib/uplot.js']) {
      const response = await fetch(new URL(path, match));
      await response.arrayBuffer();
      expect(response.status, path).toBe(200);
    }
    await stopped(child);
  });

  it('nas-trainer serve answers gRPC health, reads the embedded dataset, stops on SIGTERM', async () => {
    const serve = ['serve', '--port', '0', '--backend', 'cpu'];
    const { child, match } = await started('nas-trainer', serve, 'stdout', /listening on (\S+)/);
    expect(await healthCheck(match)).toEqual({ status: 'SERVING' });
    const trainer = createTrainerClient({ address: match });
    const embedded = await trainer.checkDataset(parseDatasetSpec('fashion-mnist-small'));
    trainer.close();
    expect(embedded).toMatchObject({ classes: 10, trainCount: 6000, testCount: 1000 });
    expect(await stopped(child)).toBe(0);
  });
});
