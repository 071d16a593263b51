import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadMagicError,
  CorruptDatasetFileError,
  DatasetCountMismatchError,
  DatasetFileSizeError,
  MissingDatasetFileError,
} from '../../trainer/data/errors.ts';
import { decodeIdx } from '../../trainer/data/idx-file.ts';
import { readMnist } from '../../trainer/data/mnist.ts';

/** An unsigned-byte IDX file: magic 0x0000080N, big-endian dims, then the data. */
function idx(dims: readonly number[], data: Uint8Array, magic = 0x0800 + dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

const images = (n: number, h = 4, w = 3): Uint8Array =>
  Uint8Array.from({ length: n * h * w }, (_, i) => (i * 11) % 256);
const labels = (values: readonly number[]): Uint8Array => Uint8Array.from(values);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-idx-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes the four standard files, each plain or gzipped, with 3 train and 2 test examples of 4x3. */
async function writeMnist(name: string, gz: boolean): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const put = (file: string, bytes: Uint8Array): Promise<void> =>
    writeFile(join(dir, gz ? `${file}.gz` : file), gz ? gzipSync(bytes) : bytes);
  await put('train-images-idx3-ubyte', idx([3, 4, 3], images(3)));
  await put('train-labels-idx1-ubyte', idx([3], labels([7, 0, 9])));
  await put('t10k-images-idx3-ubyte', idx([2, 4, 3], images(2)));
  await put('t10k-labels-idx1-ubyte', idx([2], labels([1, 2])));
  return dir;
}

describe('decodeIdx', () => {
  it('reads big-endian dims and the data after the header', () => {
    const decoded = decodeIdx(idx([2, 4, 3], images(2)), 'x.idx', 3);
    expect(decoded.dims).toEqual([2, 4, 3]);
    expect(decoded.data).toEqual(images(2));
  });

  it('rejects a bad magic number, naming the file and both numbers', () => {
    expect(() => decodeIdx(idx([2], labels([1, 2]), 0x0803), 'l.idx', 1)).toThrow(
      new BadMagicError('l.idx', 0x0803, 0x0801),
    );
    expect(() => decodeIdx(idx([2], labels([1, 2]), 0x0803), 'l.idx', 1)).toThrow(
      'l.idx: bad magic number 0x00000803; expected 0x00000801',
    );
  });

  it('rejects truncated headers and data', () => {
    expect(() => decodeIdx(new Uint8Array(6), 'h.idx', 1)).toThrow(DatasetFileSizeError);
    const cut = idx([2, 4, 3], images(2)).subarray(0, 30);
    expect(() => decodeIdx(cut, 'i.idx', 3)).toThrow(
      'i.idx: size 30 does not match its header (2x4x3 needs 40 bytes)',
    );
  });
});

describe('readMnist', () => {
  it.each([false, true])('reads the four files (gzipped: %s)', async (gz) => {
    const dir = await writeMnist(`ok-${gz}`, gz);
    const data = await readMnist(dir, 'mnist');
    expect(data.classCount).toBe(10);
    expect(data.train.shape).toEqual({ height: 4, width: 3, channels: 1 });
    expect(data.train.count).toBe(3);
    expect(Array.from(data.train.labels)).toEqual([7, 0, 9]);
    expect(Array.from(data.train.images)).toEqual(Array.from(images(3)));
    expect(data.test?.count).toBe(2);
  });

  it('names the missing file', async () => {
    const dir = await writeMnist('missing', false);
    await rm(join(dir, 't10k-labels-idx1-ubyte'));
    await expect(readMnist(dir, 'mnist')).rejects.toBeInstanceOf(MissingDatasetFileError);
    await expect(readMnist(dir, 'mnist')).rejects.toThrow(join(dir, 't10k-labels-idx1-ubyte[.gz]'));
  });

  it('names both files when image and label counts differ', async () => {
    const dir = await writeMnist('count', false);
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), idx([2], labels([1, 2])));
    await expect(readMnist(dir, 'mnist')).rejects.toThrow(
      new DatasetCountMismatchError(
        join(dir, 'train-images-idx3-ubyte'),
        3,
        join(dir, 'train-labels-idx1-ubyte'),
        2,
      ),
    );
  });

  it('rejects a label out of range and a corrupt gzip stream', async () => {
    const dir = await writeMnist('label', true);
    await writeFile(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      gzipSync(idx([3], labels([1, 10, 2]))),
    );
    await expect(readMnist(dir, 'fashion-mnist')).rejects.toThrow(
      `${join(dir, 'train-labels-idx1-ubyte.gz')}: label 10 of example 1 is out of range; allowed: 0..9`,
    );
    const broken = gzipSync(idx([3, 4, 3], images(3))).subarray(0, 20);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), broken);
    await expect(readMnist(dir, 'mnist')).rejects.toBeInstanceOf(CorruptDatasetFileError);
  });
});
