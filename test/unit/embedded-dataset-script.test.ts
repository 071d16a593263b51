/**
 * scripts/make-embedded-dataset.ts: the class-balanced selection, the IDX bytes it writes, and
 * (where Debian's Fashion-MNIST is installed) that it reproduces the stored folder byte for byte.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  balancedSubset,
  encodeIdx,
  firstPerClass,
  gzipFixed,
} from '../../scripts/embedded-dataset/subset.ts';
import {
  buildFolderFiles,
  DEBIAN_FASHION_MNIST,
} from '../../scripts/embedded-dataset/folder-files.ts';
import { decodeIdx } from '../../trainer/data/idx-file.ts';

const STORED = resolve(import.meta.dirname, '../../datasets/fashion-mnist-small');
/** Absent here, the rebuild is skipped; in CI (which installs the package) it runs and fails instead. */
const debian =
  existsSync(join(DEBIAN_FASHION_MNIST, 'train-images-idx3-ubyte.gz')) ||
  process.env.CI !== undefined;

describe('the class-balanced subset', () => {
  it('keeps the first N of each class, in file order', () => {
    const labels = Uint8Array.from([2, 0, 0, 1, 2, 0, 1, 1, 2]);
    expect(firstPerClass(labels, 2, 3)).toEqual([0, 1, 2, 3, 4, 6]);
    expect(() => firstPerClass(labels, 4, 3)).toThrow('class 0 has 3 examples; 4 are needed');
    expect(() => firstPerClass(labels, 1, 4)).toThrow('class 3 has 0 examples; 1 are needed');
  });

  it('writes IDX files the reader decodes to the kept images and labels', () => {
    const images = Uint8Array.from({ length: 5 * 2 * 2 }, (_, i) => i);
    const source = {
      images: encodeIdx([5, 2, 2], images),
      labels: encodeIdx([5], Uint8Array.from([1, 1, 0, 0, 1])),
    };
    const subset = balancedSubset(source, 1, 2, 'toy');
    const kept = decodeIdx(subset.images, 'images', 3);
    expect(kept.dims).toEqual([2, 2, 2]);
    expect([...kept.data]).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    expect([...decodeIdx(subset.labels, 'labels', 1).data]).toEqual([1, 0]);
  });

  it('gzips without a time stamp: the same bytes every time', () => {
    const bytes = encodeIdx([3], Uint8Array.from([7, 8, 9]));
    const gz = gzipFixed(bytes);
    expect(gz.readUInt32LE(4)).toBe(0);
    expect(gzipFixed(bytes).equals(gz)).toBe(true);
  });
});

describe('datasets/fashion-mnist-small', () => {
  it.skipIf(!debian)(
    'is what the script makes from Debian Fashion-MNIST, byte for byte',
    async () => {
      const files = await buildFolderFiles(DEBIAN_FASHION_MNIST);
      expect([...files.keys()].sort()).toEqual(readdirSync(STORED).sort());
      for (const [name, bytes] of files) {
        expect(Buffer.from(bytes).equals(readFileSync(join(STORED, name))), name).toBe(true);
      }
    },
  );
});
