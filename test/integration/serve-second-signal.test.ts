/**
 * A second SIGTERM ends `nas-trainer serve` at once, for sure (issue #21, bounded reads): even with
 * a thread blocked in the kernel (here a FIFO's opening, which waits for a writer and keeps
 * `process.exit` from finishing), the trainer and its trial processes are gone within a second or
 * two of the second signal, killed by SIGKILL, well before the shutdown bound.
 */
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_BOUND_MS } from '../../trainer/server/serve.ts';
import { killTrainers, spawnTrainer } from './grpc-helpers.ts';
import { processAlive } from '../fixtures/process-alive.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellsearch-second-signal-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  // Loaded before the trainer: one libuv thread waits in open(2) for a writer that never comes.
  await writeFile(
    join(dir, 'block.mjs'),
    `import { open } from 'node:fs';\nopen(${JSON.stringify(join(dir, 'fifo'))}, 'r', () => {});\n`,
  );
});
afterAll(async () => {
  killTrainers();
  // Releases any process still blocked opening the FIFO.
  await open(join(dir, 'fifo'), constants.O_WRONLY | constants.O_NONBLOCK)
    .then((h) => h.close())
    .catch(() => undefined);
});

describe.skipIf(process.platform !== 'linux')('a second SIGTERM', () => {
  it('kills the trainer and its trial processes at once, a thread blocked in the kernel notwithstanding', async () => {
    const trainer = await spawnTrainer(['--backend', 'cpu'], {
      NODE_OPTIONS: `--import ${join(dir, 'block.mjs')}`,
    });
    // It listens once its trial processes have loaded.
    const trialProcesses = trialProcessIds(trainer.child.pid ?? 0);
    expect(trialProcesses.length).toBeGreaterThan(0);
    trainer.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = performance.now();
    trainer.child.kill('SIGTERM');
    const late = new Promise<'late'>((resolve) =>
      setTimeout(() => resolve('late'), SHUTDOWN_BOUND_MS).unref(),
    );
    expect(await Promise.race([trainer.exit, late])).toBe(null);
    expect(performance.now() - second).toBeLessThan(3_000);
    expect(trainer.child.signalCode).toBe('SIGKILL');
    expect(trainer.log()).toContain('killing the process (SIGKILL) without finishing the shutdown');
    expect(trainer.log()).toContain('a second SIGTERM during the shutdown');
    await expect.poll(() => trialProcesses.filter(processAlive), { timeout: 2_000 }).toEqual([]);
  }, 60_000);
});

/** The ids of the children of process `pid`, from ps. */
function trialProcessIds(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);
}
