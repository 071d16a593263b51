/**
 * Dataset files of every size (issue #21, bounded reads): a file is read only when its size is one
 * its format implies, checked before its content is read; every other size is refused with
 * DatasetFileSizeError naming the file, a gzip stream stops at the format's largest size, and the
 * bytes a read holds count against its budget exactly. The files are sparse (truncate), so sizes of
 * gigabytes cost nothing to make, and a read of one that is refused costs nothing either.
 */
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCifar10 } from '../../trainer/data/cifar10.ts';
import { readCifar100 } from '../../trainer/data/cifar100.ts';
import { DatasetFileSizeError, DatasetTooLargeError } from '../../trainer/data/errors.ts';
import { readMnist } from '../../trainer/data/mnist.ts';
import { ReadBudget } from '../../trainer/data/read-budget.ts';

const RECORD_100 = 3074;
const RECORD_10 = 3073;
const RUNS = { numRuns: 25 };

let root: string;
let made = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-sizes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder holding `files`, each a sparse file of that many bytes (zeros: label 0). */
async function sparseFolder(files: Readonly<Record<string, number>>): Promise<string> {
  const dir = join(root, `d${made++}`);
  await mkdir(dir);
  for (const [name, size] of Object.entries(files)) {
    await writeFile(join(dir, name), '');
    await truncate(join(dir, name), size);
  }
  return dir;
}

/** Records counts near the edges of what a file holds (0, 1, the standard count) and between. */
const recordsArb = (max: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: max - 2, max: max + 2 }),
    fc.integer({ min: 0, max: max + 100 }),
  );

/** Bytes past whole records: none most often, else one, one short of a record, or any. */
const extraArb = (record: number): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    fc.constantFrom(1, record - 1),
    fc.integer({ min: 1, max: record - 1 }),
  );

describe('CIFAR file sizes', () => {
  it('reads a CIFAR-100 test.bin exactly when it holds 1 to 10,000 whole records', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb(10_000), extraArb(RECORD_100), async (records, extra) => {
        const size = records * RECORD_100 + extra;
        const dir = await sparseFolder({ 'train.bin': RECORD_100, 'test.bin': size });
        const read = readCifar100(dir, 'fine');
        if (extra === 0 && records >= 1 && records <= 10_000) {
          expect((await read).test?.count).toBe(records);
        } else {
          const err = await read.then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(DatasetFileSizeError);
          expect(String(err)).toContain(`${join(dir, 'test.bin')}: `);
        }
        await rm(dir, { recursive: true });
      }),
      // The edges always: empty, one record, the standard count, one record more, a byte more.
      {
        ...RUNS,
        examples: [
          [0, 0],
          [1, 0],
          [10_000, 0],
          [10_001, 0],
          [2, 1],
        ],
      },
    );
  });

  it('refuses a CIFAR-10 batch over 10,000 records, however large, without reading it', async () => {
    for (const size of [10_001 * RECORD_10, 3 * 2 ** 30, 2 ** 40]) {
      const dir = await sparseFolder({ 'data_batch_1.bin': size });
      const started = performance.now();
      await expect(readCifar10(dir)).rejects.toThrow(
        `${join(dir, 'data_batch_1.bin')}: size ${size} is more than the largest CIFAR-10 batch (${10_000 * RECORD_10} bytes)`,
      );
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it('stops decompressing a gzipped batch at the most a batch holds', async () => {
    const dir = join(root, 'gzip-batch');
    await mkdir(dir);
    await writeFile(join(dir, 'data_batch_1.bin'), gzipSync(new Uint8Array(10_001 * RECORD_10)));
    await expect(readCifar10(dir)).rejects.toThrow(
      `${join(dir, 'data_batch_1.bin')}: decompresses to more than the largest CIFAR-10 batch`,
    );
  });
});

/** An IDX header: magic 0x0000080N and the big-endian dims. */
function idxHeader(dims: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 + dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return out;
}

/** The four MNIST files of `count` examples of 4x4, the training images `delta` bytes off. */
async function mnistFolder(count: number, delta: number, imagesDims?: number[]): Promise<string> {
  const dir = join(root, `m${made++}`);
  await mkdir(dir);
  const put = async (name: string, dims: readonly number[], size: number): Promise<void> => {
    await writeFile(join(dir, name), idxHeader(dims));
    await truncate(join(dir, name), size);
  };
  const images = imagesDims ?? [count, 4, 4];
  const imagesSize = 16 + images.reduce((a, b) => a * b, 1) + delta;
  await put('train-images-idx3-ubyte', images, imagesSize);
  await put('train-labels-idx1-ubyte', [count], 8 + count);
  await put('t10k-images-idx3-ubyte', [1, 4, 4], 16 + 16);
  await put('t10k-labels-idx1-ubyte', [1], 9);
  return dir;
}

describe('IDX file sizes', () => {
  it('reads an IDX file exactly when its size is the one its header implies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 50 }),
        fc.oneof(fc.constant(0), fc.integer({ min: -16, max: 16 })),
        async (count, delta) => {
          const dir = await mnistFolder(count, Math.max(delta, -16 - count * 16));
          const read = readMnist(dir, 'mnist');
          if (delta === 0) expect((await read).train.count).toBe(count);
          else await expect(read).rejects.toBeInstanceOf(DatasetFileSizeError);
          await rm(dir, { recursive: true });
        },
      ),
      {
        ...RUNS,
        examples: [
          [3, 0],
          [3, 1],
          [3, -1],
        ],
      },
    );
  });

  it('refuses a header that claims more than 1 GiB before reading the data', async () => {
    const dir = await mnistFolder(0, 0, [30_000, 200, 200]);
    const file = join(dir, 'train-images-idx3-ubyte');
    const started = performance.now();
    await expect(readMnist(dir, 'mnist')).rejects.toThrow(
      `${file}: size 1200000016 is more than the largest IDX images file (1073741824 bytes)`,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('read budget', () => {
  it('holds a CIFAR-100 read to its budget: the files and the decoded arrays, to the byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -2 * RECORD_100, max: 2 * RECORD_100 }),
        async (records, slack) => {
          const dir = await sparseFolder({
            'train.bin': records * RECORD_100,
            'test.bin': RECORD_100,
          });
          // Each record: its bytes as read, then its image (3072 bytes) and label (1) decoded.
          const needed = (records + 1) * (RECORD_100 + 3072 + 1);
          const budget = new ReadBudget(needed + slack, 'a test limit');
          const read = readCifar100(dir, 'coarse', { budget });
          if (slack >= 0) expect((await read).train.count).toBe(records);
          else await expect(read).rejects.toBeInstanceOf(DatasetTooLargeError);
          await rm(dir, { recursive: true });
        },
      ),
      {
        ...RUNS,
        examples: [
          [5, 0],
          [5, -1],
        ],
      },
    );
  });

  it('stops a gzip stream at the budget, naming the limit', async () => {
    const dir = join(root, 'gzip-budget');
    await mkdir(dir);
    await writeFile(join(dir, 'train.bin'), gzipSync(new Uint8Array(1000 * RECORD_100)));
    await writeFile(join(dir, 'test.bin'), new Uint8Array(RECORD_100));
    const budget = new ReadBudget(2 ** 20, 'a test limit');
    await expect(readCifar100(dir, 'fine', { budget })).rejects.toThrow(
      /train\.bin: reading it needs .* more than a test limit of 1 MiB/,
    );
  });
});
