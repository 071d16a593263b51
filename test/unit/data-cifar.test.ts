import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCifar10 } from '../../trainer/data/cifar10.ts';
import { readCifar100 } from '../../trainer/data/cifar100.ts';
import {
  DatasetFileSizeError,
  LabelOutOfRangeError,
  MissingDatasetFileError,
} from '../../trainer/data/errors.ts';

const AREA = 32 * 32;

/** The byte a test record holds for record `r`, channel `c`, pixel `p` (distinct per channel). */
const pixel = (r: number, c: number, p: number): number => (r * 7 + c * 85 + p * 3) % 256;

/** One CIFAR record: label bytes, then the R, G and B planes of 32x32 bytes each. */
function record(labels: readonly number[], r: number): Uint8Array {
  const out = new Uint8Array(labels.length + 3 * AREA);
  out.set(labels);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < AREA; p++) out[labels.length + c * AREA + p] = pixel(r, c, p);
  }
  return out;
}

function file(records: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-cifar-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes CIFAR-10 batches of two records each (labels b and b+1 mod 10) into a fresh folder. */
async function writeCifar10(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (let b = 1; b <= 5; b++) {
    const batch = file([record([b % 10], 2 * b), record([(b + 1) % 10], 2 * b + 1)]);
    await writeFile(join(dir, `data_batch_${b}.bin`), batch);
  }
  await writeFile(join(dir, 'test_batch.bin'), file([record([9], 100)]));
  return dir;
}

describe('readCifar10', () => {
  it('reads all batches in order and converts channel planes to NHWC', async () => {
    const dir = await writeCifar10('ok');
    const data = await readCifar10(dir);
    expect(data.classCount).toBe(10);
    expect(data.classNames?.[0]).toBe('airplane');
    expect(data.train.count).toBe(10);
    expect(data.train.shape).toEqual({ height: 32, width: 32, channels: 3 });
    expect(Array.from(data.train.labels)).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    // Example 3 is record 1 of data_batch_2.bin, written as r = 5.
    for (const [y, x, c] of [
      [0, 0, 0],
      [0, 1, 2],
      [31, 31, 1],
      [7, 19, 2],
    ] as const) {
      const p = y * 32 + x;
      expect(data.train.images[3 * 3 * AREA + p * 3 + c]).toBe(pixel(5, c, p));
    }
    expect(data.test?.count).toBe(1);
    expect(data.test?.labels[0]).toBe(9);
    expect(data.test?.images[3 * 5 + 1]).toBe(pixel(100, 1, 5));
  });

  it('uses the class names of batches.meta.txt when present', async () => {
    const dir = await writeCifar10('meta');
    const names = Array.from({ length: 10 }, (_, i) => `class${i}`);
    await writeFile(join(dir, 'batches.meta.txt'), `${names.join('\n')}\n\n`);
    expect((await readCifar10(dir)).classNames).toEqual(names);
  });

  it('names a truncated batch and the record size', async () => {
    const dir = await writeCifar10('truncated');
    await writeFile(join(dir, 'data_batch_3.bin'), file([record([1], 0)]).subarray(0, 3000));
    await expect(readCifar10(dir)).rejects.toBeInstanceOf(DatasetFileSizeError);
    await expect(readCifar10(dir)).rejects.toThrow(
      `${join(dir, 'data_batch_3.bin')}: size 3000 is not a multiple of the 3073-byte record`,
    );
  });

  it('names a missing test batch', async () => {
    const dir = await writeCifar10('missing');
    await rm(join(dir, 'test_batch.bin'));
    await expect(readCifar10(dir)).rejects.toBeInstanceOf(MissingDatasetFileError);
    await expect(readCifar10(dir)).rejects.toThrow(`${join(dir, 'test_batch.bin')}: missing`);
  });

  it('names a label out of range with its record', async () => {
    const dir = await writeCifar10('label');
    await writeFile(join(dir, 'data_batch_5.bin'), file([record([0], 0), record([10], 1)]));
    await expect(readCifar10(dir)).rejects.toThrow(
      new LabelOutOfRangeError(join(dir, 'data_batch_5.bin'), 1, 10, 10),
    );
    await expect(readCifar10(dir)).rejects.toThrow(
      /label 10 of example 1 is out of range; allowed: 0..9/,
    );
  });
});

describe('readCifar100', () => {
  async function writeCifar100(name: string, fine: readonly number[]): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    const records = fine.map((f, r) => record([f % 20, f], r));
    await writeFile(join(dir, 'train.bin'), file(records));
    await writeFile(join(dir, 'test.bin'), file(records.slice(0, 1)));
    return dir;
  }

  it('reads fine or coarse labels and converts planes to NHWC', async () => {
    const dir = await writeCifar100('ok', [99, 42, 7]);
    const fine = await readCifar100(dir, 'fine');
    expect(fine.classCount).toBe(100);
    expect(Array.from(fine.train.labels)).toEqual([99, 42, 7]);
    expect(fine.train.images[2 * 3 * AREA + 10 * 3 + 2]).toBe(pixel(2, 2, 10));
    expect(fine.test?.count).toBe(1);
    const coarse = await readCifar100(dir, 'coarse');
    expect(coarse.classCount).toBe(20);
    expect(Array.from(coarse.train.labels)).toEqual([19, 2, 7]);
  });

  it('reads the label names file for the chosen labels', async () => {
    const dir = await writeCifar100('names', [1]);
    const names = Array.from({ length: 20 }, (_, i) => `super${i}`);
    await writeFile(join(dir, 'coarse_label_names.txt'), names.join('\n'));
    expect((await readCifar100(dir, 'coarse')).classNames).toEqual(names);
    expect((await readCifar100(dir, 'fine')).classNames).toBeUndefined();
  });

  it('rejects a fine label of 100 and a wrong record size, naming the file', async () => {
    const bad = await writeCifar100('bad-label', [3, 100]);
    await expect(readCifar100(bad, 'fine')).rejects.toThrow(
      `${join(bad, 'train.bin')}: label 100 of example 1 is out of range; allowed: 0..99`,
    );
    const short = await writeCifar100('bad-size', [3]);
    await writeFile(join(short, 'test.bin'), file([record([1], 0)]));
    await expect(readCifar100(short, 'fine')).rejects.toThrow(
      `${join(short, 'test.bin')}: size 3073 is not a multiple of the 3074-byte record`,
    );
  });
});
