/**
 * `nas-ctl predict` and `nas-ctl evaluate` pass SIGTERM on to their `nas-trainer` process: after a
 * SIGTERM to nas-ctl mid-run the trainer is gone and nas-ctl exits 143. The trainer is held
 * mid-run by a model.json that is a FIFO nobody writes, so it cannot finish before the signal.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;

/** A model folder whose model.json blocks every reader. */
async function blockingModel(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-model-signal-')), 'model');
  await mkdir(dir);
  execFileSync('mkfifo', [join(dir, 'model.json')]);
  return dir;
}

/** The ids of `pid`'s child processes (Linux /proc). */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Whether process `pid` still runs (a zombie counts as gone). */
function running(pid: number): boolean {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return false;
  return !/^\d+ \(.*\) Z/.test(readFileSync(file, 'utf8'));
}

/** Polls `check` every 50 ms until it gives a value, for at most `ms`. */
async function waitFor<T>(check: () => T | null, ms: number, what: string): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const value = check();
    if (value !== null) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts `nas-ctl ...args`, SIGTERMs it once its trainer runs; its exit code and the trainer's pid. */
async function terminateMidRun(
  args: readonly string[],
): Promise<{ code: number | null; trainer: number }> {
  const ctl = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = ctl.pid ?? 0;
  const exited = new Promise<number | null>((resolve) => ctl.once('exit', (code) => resolve(code)));
  const trainer = await waitFor(() => childrenOf(pid)[0] ?? null, 20_000, 'the trainer process');
  ctl.kill('SIGTERM');
  const code = await exited;
  try {
    await waitFor(() => (running(trainer) ? null : true), 5_000, `trainer ${trainer} to end`);
  } catch (err) {
    process.kill(trainer, 'SIGKILL'); // do not leave it behind when the test fails
    throw err;
  }
  return { code, trainer };
}

describe.skipIf(process.platform !== 'linux')('SIGTERM to nas-ctl predict / evaluate', () => {
  it('predict: the trainer process ends too and nas-ctl exits 143', async () => {
    const model = await blockingModel();
    const { code } = await terminateMidRun([
      'predict',
      '--model',
      model,
      '--backend',
      'cpu',
      'x.png',
    ]);
    expect(code).toBe(143);
  }, 30_000);

  it('evaluate: the trainer process ends too and nas-ctl exits 143', async () => {
    const model = await blockingModel();
    const args = ['evaluate', '--model', model, '--dataset', 'synthetic:classes=2,size=8'];
    const { code } = await terminateMidRun([...args, '--backend', 'cpu']);
    expect(code).toBe(143);
  }, 30_000);
});
