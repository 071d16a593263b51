/**
 * `nas-ctl search` while its local trainers start (issue #10): a SIGTERM then stops them and exits
 * at once, leaving no trainer process; and they get the token in their environment, never on their
 * command line (which `ps` shows). Real nas-ctl and nas-trainer processes.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, killLeftJobs, startSearchJob, trainersOf } from '../fixtures/search-job.ts';
import { processAlive } from '../fixtures/process-alive.ts';

/** A search whose trainers are started and not yet listening when the test signals it. */
const ARGS = [
  '--backend',
  'wasm',
  '--trials',
  '2',
  '--dataset',
  'synthetic:classes=2,size=8,train=32,test=8',
  '--size',
  '1@24',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '2',
  '--batch-size',
  '8',
  '--validation-size',
  '8',
];
/** Stopping trainers that are still loading tfjs: a few seconds at most. */
const PROMPTLY_MS = 8_000;
const SLOW = 120_000;

afterEach(killLeftJobs);

async function until(done: () => boolean, what: string, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function newDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cellsearch-start-'));
}

describe('nas-ctl search starting its local trainers', () => {
  it(
    'stops the trainers it is starting on SIGTERM and exits at once, leaving no trainer process',
    async () => {
      const dir = await newDir();
      const job = startSearchJob([...ARGS, '--local-trainers', '2', '--run-dir', join(dir, 'run')]);
      await until(() => trainersOf(job.pid).length === 2, 'two trainer processes');
      const trainers = trainersOf(job.pid);
      const sentAt = Date.now();
      process.kill(job.pid, 'SIGTERM'); // to nas-ctl alone, as a supervisor sends it

      const end = await job.ended;
      expect(end.at - sentAt).toBeLessThan(PROMPTLY_MS);
      expect(end).toMatchObject({ code: 128 + constants.signals.SIGTERM, signal: null });
      expect(job.stderr()).toMatch(
        /search stopped by SIGTERM while its local trainers were starting; they are stopped and no trial ran/,
      );
      expect(job.events).toEqual([]);
      for (const pid of trainers) expect(processAlive(pid), `trainer ${pid} is left`).toBe(false);
      await until(() => !groupAlive(job.pid), 'the job to be gone', 2_000);
    },
    SLOW,
  );

  it(
    'passes the token from --token-file to its trainers in their environment, not their arguments',
    async () => {
      const dir = await newDir();
      const token = 'token-in-a-file-0123';
      await writeFile(join(dir, 'token'), `${token}\n`);
      const args = [...ARGS, '--local-trainers', '1', '--token-file', join(dir, 'token')];
      const job = startSearchJob([...args, '--run-dir', join(dir, 'run')]);
      await until(() => trainersOf(job.pid).length === 1, 'the trainer process');
      const [trainer] = trainersOf(job.pid);
      const argv = (await readFile(`/proc/${trainer}/cmdline`, 'utf8')).split('\0');
      const env = (await readFile(`/proc/${trainer}/environ`, 'utf8')).split('\0');
      process.kill(job.pid, 'SIGTERM');
      await job.ended;
      expect(argv.join(' ')).not.toContain(token);
      expect(env).toContain(`NAS_TRAINER_TOKEN=${token}`);
    },
    SLOW,
  );
});
