/**
 * CheckDataset on hostile dataset folders, against a real `nas-trainer serve` process with a data
 * root (issue #21, bounded reads): a batch that links to /dev/zero is refused at once and the
 * trainer stays small; a FIFO is refused at once, and a SIGTERM right after still ends the trainer
 * cleanly; a link leaving the data root is refused; and a SIGTERM in the middle of a long read
 * cancels it, so the trainer ends within seconds and within its stated bound.
 */
import { status } from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainerClient } from '../../controller/trainer-client/trainer-client.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { SHUTDOWN_BOUND_MS } from '../../trainer/server/serve.ts';
import { callFailure, killTrainers, spawnTrainer, type TrainerProcess } from './grpc-helpers.ts';

const RECORD = 3073;
const BATCHES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin');
/** Images in the folder whose read a SIGTERM interrupts: seconds of decoding. */
const MANY_IMAGES = 3000;

let root: string;
let elsewhere: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-hostile-'));
  elsewhere = await mkdtemp(join(tmpdir(), 'cellsearch-elsewhere-'));
  await cifarFolder(elsewhere);
  await cifarFolder(join(root, 'zero'), (file) => symlink('/dev/zero', file));
  await cifarFolder(join(root, 'pipe'), (file) => Promise.resolve(mkfifo(file)));
  await cifarFolder(join(root, 'escape'), (file) =>
    symlink(join(elsewhere, 'data_batch_1.bin'), file),
  );
  await imageFolder(join(root, 'many'));
});
afterAll(async () => {
  killTrainers();
  // A trainer blocked opening the FIFO (the failure tested for) is released by a writer.
  await open(join(root, 'pipe', 'data_batch_1.bin'), constants.O_WRONLY | constants.O_NONBLOCK)
    .then((h) => h.close())
    .catch(() => undefined);
});

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** CIFAR-10's six batches of two records, data_batch_1.bin made by `first` when given. */
async function cifarFolder(dir: string, first?: (file: string) => Promise<void>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of BATCHES) {
    const file = join(dir, name);
    if (first !== undefined && name === 'data_batch_1.bin') await first(file);
    else await writeFile(file, new Uint8Array(2 * RECORD));
  }
}

/** Two classes of {@link MANY_IMAGES} small PNG images in all. */
async function imageFolder(dir: string): Promise<void> {
  const create = { width: 16, height: 16, channels: 3 as const, background: '#204080' };
  const png = await sharp({ create }).png().toBuffer();
  for (const cls of ['a', 'b']) await mkdir(join(dir, cls), { recursive: true });
  for (let i = 0; i < MANY_IMAGES; i++)
    await writeFile(join(dir, i % 2 ? 'a' : 'b', `${i}.png`), png);
}

function clientOf(trainer: TrainerProcess): ReturnType<typeof createTrainerClient> {
  return createTrainerClient({ address: trainer.address, checkDatasetDeadlineMs: 10_000 });
}

/** The resident memory of process `pid` in bytes, from /proc. */
async function residentBytes(pid: number): Promise<number> {
  const statusText = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(statusText)?.[1];
  return Number(kib) * 1024;
}

/** The trainer's JSON log lines so far. */
function logLines(trainer: TrainerProcess): unknown[] {
  return trainer
    .log()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line): unknown => JSON.parse(line));
}

/** Milliseconds from now until `trainer` exits, and its exit code. */
async function timeToExit(trainer: TrainerProcess): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const late = new Promise<'late'>((resolve) =>
    setTimeout(() => resolve('late'), SHUTDOWN_BOUND_MS + 5_000).unref(),
  );
  const code = await Promise.race([trainer.exit, late]);
  if (code === 'late')
    throw new Error(`the trainer still runs ${SHUTDOWN_BOUND_MS + 5_000} ms after SIGTERM`);
  return { ms: performance.now() - started, code };
}

describe.skipIf(process.platform !== 'linux')('CheckDataset of hostile folders', () => {
  it('refuses a batch linking to /dev/zero at once, and the trainer stays small', async () => {
    const trainer = await spawnTrainer(['--backend', 'cpu', '--data-root', root]);
    const client = clientOf(trainer);
    try {
      const started = performance.now();
      const err = await callFailure(client.checkDataset(parseDatasetSpec('cifar10:zero')));
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(err.grpcCode).toBe(status.FAILED_PRECONDITION);
      expect(err.details).toBe(
        `dataset: cannot read ${join(root, 'zero', 'data_batch_1.bin')}: is a character device, not a regular file; only regular files (or links to them) are read`,
      );
      const pid = trainer.child.pid ?? 0;
      expect(await residentBytes(pid)).toBeLessThan(600 * 2 ** 20);

      const escaped = await callFailure(client.checkDataset(parseDatasetSpec('cifar10:escape')));
      expect(escaped.grpcCode).toBe(status.FAILED_PRECONDITION);
      expect(escaped.details).toContain(`resolves to a file outside this trainer's data root`);
      expect(escaped.details).not.toContain(elsewhere);
    } finally {
      client.close();
    }
  });

  it('refuses a FIFO at once, and a SIGTERM right after ends the trainer cleanly', async () => {
    const trainer = await spawnTrainer(['--backend', 'cpu', '--data-root', root]);
    const client = clientOf(trainer);
    try {
      const started = performance.now();
      const checked = callFailure(client.checkDataset(parseDatasetSpec('cifar10:pipe')));
      setTimeout(() => trainer.child.kill('SIGTERM'), 300);
      const err = await checked;
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(err.details).toContain('data_batch_1.bin: is a FIFO (named pipe), not a regular file');
      const { ms, code } = await timeToExit(trainer);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(SHUTDOWN_BOUND_MS);
    } finally {
      client.close();
    }
  });

  it('cancels a long read on SIGTERM: the call ends CANCELLED and the trainer within seconds', async () => {
    const trainer = await spawnTrainer(['--backend', 'cpu', '--data-root', root]);
    const client = clientOf(trainer);
    try {
      const checked = callFailure(client.checkDataset(parseDatasetSpec('folder:many,size=8')));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      trainer.child.kill('SIGTERM');
      const [err, { ms, code }] = await Promise.all([checked, timeToExit(trainer)]);
      // The trainer answers CANCELLED; the answer may race the connection's closing.
      expect([status.CANCELLED, status.UNAVAILABLE]).toContain(err.grpcCode);
      expect(logLines(trainer)).toContainEqual(
        expect.objectContaining({ msg: 'dataset check refused', details: 'cancelled' }),
      );
      expect(code).toBe(0);
      expect(ms).toBeLessThan(3_000);
    } finally {
      client.close();
    }
  });
});
