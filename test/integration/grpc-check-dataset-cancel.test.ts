/**
 * A CheckDataset whose caller leaves stops reading (issue #21, bounded reads), against a real
 * `nas-trainer serve`: a call cancelled by the caller, or whose deadline passes, while a large
 * folder is read ends that read at once, so the trainer's next read (reads run one at a time)
 * starts without waiting for it.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainerClient } from '../../controller/trainer-client/trainer-client.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { callFailure, killTrainers, spawnTrainer, type TrainerProcess } from './grpc-helpers.ts';

/** Images in the large folder: seconds of decoding. */
const MANY_IMAGES = 3000;
const RECORD = 3073;

let root: string;
let trainer: TrainerProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-check-cancel-'));
  const create = { width: 16, height: 16, channels: 3 as const, background: '#204080' };
  const png = await sharp({ create }).png().toBuffer();
  for (const cls of ['a', 'b']) await mkdir(join(root, 'many', cls), { recursive: true });
  for (let i = 0; i < MANY_IMAGES; i++)
    await writeFile(join(root, 'many', i % 2 ? 'a' : 'b', `${i}.png`), png);
  await mkdir(join(root, 'small'));
  for (const name of [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin'))
    await writeFile(join(root, 'small', name), new Uint8Array(2 * RECORD));
  trainer = await spawnTrainer(['--backend', 'cpu', '--data-root', root]);
}, 120_000);
afterAll(() => killTrainers());

/** The trainer's JSON log lines so far. */
function logLines(): unknown[] {
  return trainer
    .log()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line): unknown => JSON.parse(line));
}

/** Milliseconds the small folder's check takes now (it queues behind any read under way). */
async function smallCheckMs(client: ReturnType<typeof createTrainerClient>): Promise<number> {
  const started = performance.now();
  expect(await client.checkDataset(parseDatasetSpec('cifar10:small'))).toMatchObject({
    trainCount: 10,
  });
  return performance.now() - started;
}

const STOPPED: unknown = expect.objectContaining({
  msg: 'dataset check refused',
  dataset: 'folder:many,size=8',
  details: 'cancelled',
});

describe('CheckDataset whose caller leaves', () => {
  it('stops reading when the caller cancels', async () => {
    const client = createTrainerClient({ address: trainer.address });
    try {
      const aborter = new AbortController();
      const checked = callFailure(
        client.checkDataset(parseDatasetSpec('folder:many,size=8'), aborter.signal),
      );
      setTimeout(() => aborter.abort(), 500);
      await checked;
      await expect.poll(logLines, { timeout: 1_000 }).toContainEqual(STOPPED);
      expect(await smallCheckMs(client)).toBeLessThan(1_000);
    } finally {
      client.close();
    }
  }, 30_000);

  it('stops reading when the deadline passes', async () => {
    const before = logLines().length;
    const client = createTrainerClient({ address: trainer.address, checkDatasetDeadlineMs: 500 });
    const patient = createTrainerClient({ address: trainer.address });
    try {
      await callFailure(client.checkDataset(parseDatasetSpec('folder:many,size=8')));
      await expect.poll(() => logLines().slice(before), { timeout: 1_000 }).toContainEqual(STOPPED);
      expect(await smallCheckMs(patient)).toBeLessThan(1_000);
    } finally {
      client.close();
      patient.close();
    }
  }, 30_000);
});
