import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptDatasetFileError,
  EmptyDatasetError,
  MissingDatasetFileError,
} from '../../trainer/data/errors.ts';
import { readImageFolder } from '../../trainer/data/image-folder.ts';

type Rgb = readonly [number, number, number];
const RED: Rgb = [220, 20, 30];
const BLUE: Rgb = [10, 40, 230];
const GREEN: Rgb = [30, 200, 60];

/** A solid-colour image of `width` x `height` encoded as PNG or JPEG. */
function solid(
  colour: Rgb,
  width: number,
  height: number,
  format: 'png' | 'jpeg',
): Promise<Buffer> {
  const [r, g, b] = colour;
  const image = sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
  return (format === 'png' ? image.png() : image.jpeg({ quality: 95 })).toBuffer();
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(dir: string, file: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), bytes);
}

/** Every pixel of example `i` is within `tolerance` of `colour`. */
function expectColour(
  images: Uint8Array,
  i: number,
  size: number,
  colour: Rgb,
  tolerance: number,
): void {
  const bytes = size * size * 3;
  images.subarray(i * bytes, (i + 1) * bytes).forEach((v, k) => {
    expect(Math.abs(v - (colour[k % 3] ?? 0))).toBeLessThanOrEqual(tolerance);
  });
}

describe('readImageFolder', () => {
  it('labels subfolders in sorted order and resizes PNG and JPEG images', async () => {
    const dir = join(root, 'flat');
    await put(join(dir, 'dog'), 'b.jpeg', await solid(BLUE, 10, 6, 'jpeg'));
    await put(join(dir, 'dog'), 'a.PNG', await solid(GREEN, 5, 5, 'png'));
    await put(join(dir, 'cat'), 'x.png', await solid(RED, 8, 8, 'png'));
    await put(join(dir, 'cat'), 'notes.txt', 'not an image');
    const data = await readImageFolder(dir, 4);
    expect(data.classNames).toEqual(['cat', 'dog']);
    expect(data.train.shape).toEqual({ height: 4, width: 4, channels: 3 });
    expect(Array.from(data.train.labels)).toEqual([0, 1, 1]);
    expectColour(data.train.images, 0, 4, RED, 0);
    expectColour(data.train.images, 1, 4, GREEN, 0);
    expectColour(data.train.images, 2, 4, BLUE, 8);
    expect(data.test).toBeUndefined();
  });

  it('reads train/ and test/ splits with the training class indices', async () => {
    const dir = join(root, 'split');
    const png = await solid(RED, 3, 3, 'png');
    await put(join(dir, 'train', 'a'), '1.png', png);
    await put(join(dir, 'train', 'b'), '1.png', png);
    await put(join(dir, 'test', 'b'), '1.png', png);
    const data = await readImageFolder(dir, 2);
    expect(data.train.count).toBe(2);
    expect(Array.from(data.test?.labels ?? [])).toEqual([1]);
  });

  it('names a corrupt image, an empty class folder and a missing folder', async () => {
    const corrupt = join(root, 'corrupt');
    await put(join(corrupt, 'a'), 'bad.png', 'this is not a PNG');
    await expect(readImageFolder(corrupt, 4)).rejects.toBeInstanceOf(CorruptDatasetFileError);
    await expect(readImageFolder(corrupt, 4)).rejects.toThrow(
      `${join(corrupt, 'a', 'bad.png')}: cannot be decoded`,
    );

    const empty = join(root, 'empty');
    await put(join(empty, 'a'), 'readme.txt', 'no images here');
    await expect(readImageFolder(empty, 4)).rejects.toThrow(
      new EmptyDatasetError(join(empty, 'a'), 'has no JPEG or PNG images'),
    );

    await expect(readImageFolder(join(root, 'nowhere'), 4)).rejects.toBeInstanceOf(
      MissingDatasetFileError,
    );
  });

  it('rejects a test class that the training split lacks', async () => {
    const dir = join(root, 'extra-class');
    const png = await solid(RED, 2, 2, 'png');
    await put(join(dir, 'train', 'a'), '1.png', png);
    await put(join(dir, 'val', 'z'), '1.png', png);
    await expect(readImageFolder(dir, 2)).rejects.toThrow(
      `${join(dir, 'val', 'z')}: is not one of the training classes (a)`,
    );
  });
});
