/**
 * Every flag of `nas-ctl search` is checked before anything is made or started (issue #10): a bad
 * one gets a clear message naming it, at once, with no run directory created and no trainer left.
 * nas-ctl runs as a job in its own process group, killed after a limit, so a hang fails the test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../fixtures/search-job.ts';

const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
/** A refusal comes before any trainer or folder: seconds, even on a loaded machine. */
const AT_ONCE_MS = 20_000;

const dir = mkdtempSync(join(tmpdir(), 'cellsearch-search-flags-'));
const groups: number[] = [];
afterAll(() => {
  for (const pgid of groups) if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
});

interface Ended {
  readonly code: number | null;
  readonly stderr: string;
  readonly pgid: number;
}

/** Runs `nas-ctl search ...args` in a process group of its own, SIGKILLed after `limitMs`. */
function search(args: readonly string[], limitMs = AT_ONCE_MS): Promise<Ended> {
  const child = spawn(process.execPath, [CTL, 'search', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const pgid = child.pid ?? 0;
  groups.push(pgid);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const kill = setTimeout(() => groupAlive(pgid) && process.kill(-pgid, 'SIGKILL'), limitMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, pgid });
    }),
  );
}

/** Waits up to two seconds for every process of the group to be gone (tsx's esbuild exits last). */
async function expectGroupGone(pgid: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(groupAlive(pgid), `processes of nas-ctl's group ${pgid} are left`).toBe(false);
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const tooMany = String(availableParallelism() + 1);
const hosts = file('hosts.txt', '# trainers\n\n127.0.0.1:50051\nroot:x:0:0:secret\n');
const token = file('token', 'token-from-file-0001\n');
const aFile = file('a-file', 'not a folder\n');

/** Each bad flag and what its one message must say. */
const CASES: readonly { args: string[]; says: RegExp; newRunDir?: false }[] = [
  {
    args: ['--local-trainers', tooMany],
    says: new RegExp(
      `--local-trainers: ${tooMany} is more than this machine's \\d+ cores.*--force-local-trainers`,
    ),
  },
  { args: ['--trainers', ',,,'], says: /--trainers entry 1 of ",,,": empty; expected host:port/ },
  {
    args: ['--trainers', '127.0.0.1:50051,,gpu2:50051'],
    says: /--trainers entry 2 of .*: empty/,
  },
  {
    args: ['--trainers-file', join(dir, 'missing.txt')],
    says: /--trainers-file: .*missing\.txt: no such file/,
  },
  {
    args: ['--trainers-file', hosts],
    says: /--trainers-file .*hosts\.txt line 4: the line is not host:port/,
  },
  { args: ['--trainers', '127.0.0.1:1', '--time', 'banana'], says: /--time.*"banana"/ },
  { args: ['--token', 'long-enough-token', '--token-file', token], says: /not both/ },
  {
    args: ['--validation-size', '0'],
    says: /--validation-size: a search .* needs a validation split/,
  },
  {
    // The default dataset, fashion-mnist-small: 6000 training images of 28x28.
    args: ['--validation-size', '6000'],
    says: /--validation-size: 6000 leaves no training example of the 6000/,
  },
  { args: ['--cutout', '1000'], says: /--cutout: 1000 is larger than the dataset's 28x28 images/ },
  {
    args: ['--run-dir', '/proc/nope'],
    says: /--run-dir \/proc\/nope: cannot create \/proc\/nope/,
    newRunDir: false,
  },
  { args: ['--run-dir', aFile], says: /--run-dir .*a-file: not a directory/, newRunDir: false },
];

describe('nas-ctl search refuses bad flags before it starts anything', () => {
  it.each(CASES.map((c, i) => ({ ...c, name: c.args.join(' '), i })))(
    '$name',
    async ({ args, says, newRunDir, i }) => {
      const run = join(dir, `run-${i}`);
      const started = Date.now();
      const ended = await search(newRunDir === false ? args : [...args, '--run-dir', run]);
      expect(ended.stderr).toMatch(says);
      expect(ended.code).not.toBe(0);
      expect(ended.code).not.toBe(70); // an internal error is not an answer to bad input
      expect(ended.code).not.toBeNull(); // null: killed at the limit
      expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
      expect(ended.stderr).not.toContain('secret');
      expect(existsSync(run)).toBe(false);
      await expectGroupGone(ended.pgid);
    },
    AT_ONCE_MS + 10_000,
  );
});
