/**
 * A trainer whose log cannot be written (its stderr on a full disk: /dev/full here) keeps serving
 * (issue #21): a real `nas-trainer serve` with stderr on /dev/full runs a real search to its end
 * and is still up afterwards. Before, its first log line ended it with exit code 1.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { FAST_SEARCH_FLAGS } from '../fixtures/fast-search.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';

const TRAINER = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;

describe.skipIf(process.platform !== 'linux')('a trainer whose log disk is full', () => {
  it('serves a search to its end and stays up', async () => {
    const full = openSync('/dev/full', 'w');
    const trainer = spawn(
      process.execPath,
      [TRAINER, 'serve', '--host', '127.0.0.1', '--port', '0', '--backend', 'cpu'],
      { stdio: ['ignore', 'pipe', full] },
    );
    closeSync(full);
    const { stdout } = trainer;
    if (stdout === null) throw new Error('no stdout pipe');
    const exited = new Promise<number | null>((resolve) => trainer.once('exit', resolve));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        createInterface({ input: stdout }).on('line', (line) => {
          const match = /listening on (\S+)/.exec(line);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        void exited.then((code) => reject(new Error(`nas-trainer exited with ${code}`)));
      });
      const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-full-log-')), 'run');
      const search = await nasCtl(
        'search',
        ...FAST_SEARCH_FLAGS,
        ...['--strategy', 'random', '--trials', '2', '--trainers', address, '--run-dir', dir],
      );
      expect(search.stderr).not.toContain('does not answer');
      expect(search.code).toBe(0);
      expect(trainer.exitCode).toBeNull();
    } finally {
      trainer.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
