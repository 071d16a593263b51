/**
 * Local trainers log to files, never to the terminal, and one that dies is reported once with its
 * log file and last message: real `nas-trainer serve` processes started by the controller's code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startLocalTrainers,
  type LocalTrainers,
  type TrainerExit,
} from '../../controller/search/local-trainers.ts';
import { lastLogMessage } from '../../controller/search/trainer-log.ts';
import { trainersOf } from '../fixtures/search-job.ts';

const SLOW = 120_000;
let started: LocalTrainers | null = null;
afterEach(async () => {
  await started?.stop();
  started = null;
});

describe('local trainers', () => {
  it(
    'write their logs to trainer-<n>.log and report a trainer that dies, naming its log',
    async () => {
      const logDir = join(await mkdtemp(join(tmpdir(), 'cellsearch-logs-')), 'logs');
      const exits: TrainerExit[] = [];
      started = await startLocalTrainers('wasm', 1, { logDir, onExit: (e) => exits.push(e) });
      const log = join(logDir, 'trainer-1.log');
      expect(existsSync(log)).toBe(true);
      const [pid] = trainersOf(process.pid);
      if (pid === undefined) throw new Error('no trainer process found');
      process.kill(pid, 'SIGKILL');
      await expect.poll(() => exits.length, { timeout: 10_000 }).toBe(1);
      expect(exits[0]).toMatchObject({
        n: 1,
        address: started.addresses[0],
        why: 'signal SIGKILL',
        log,
      });
      // Stopping afterwards reports nothing more.
      await started.stop();
      expect(exits).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'fail to start with the last message of the log and its name',
    async () => {
      const logDir = join(await mkdtemp(join(tmpdir(), 'cellsearch-logs-')), 'logs');
      const start = startLocalTrainers('no-such-backend', 1, { logDir });
      await expect(start).rejects.toThrow(
        /^local trainer 1 exited \(code 2\) before listening: option '--backend <name>' argument 'no-such-backend' is invalid\..*; its log: .*\/logs\/trainer-1\.log$/,
      );
      expect(readFileSync(join(logDir, 'trainer-1.log'), 'utf8')).toContain('no-such-backend');
    },
    SLOW,
  );
});

describe('lastLogMessage', () => {
  it('reads a pino line as its message and error, and any other line as it is', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cellsearch-log-')), 'trainer-1.log');
    expect(lastLogMessage(file)).toBeNull();
    await writeFile(file, '');
    expect(lastLogMessage(file)).toBeNull();
    const pino = {
      level: 50,
      msg: 'a trial process failed to start',
      err: { message: 'no GPU\nstack' },
    };
    await appendFile(file, `${JSON.stringify(pino)}\n\n`);
    expect(lastLogMessage(file)).toBe('a trial process failed to start: no GPU');
    await appendFile(file, 'error: --port 1: cannot listen\n');
    expect(lastLogMessage(file)).toBe('--port 1: cannot listen');
    await appendFile(file, "error: unknown option '--prot'\n(add --help for usage)\n");
    expect(lastLogMessage(file)).toBe("unknown option '--prot'");
  });
});
