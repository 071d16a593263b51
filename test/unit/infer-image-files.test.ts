/**
 * readImageFiles: PNG/JPEG files scaled and cropped to a model's input, expanded from grey for an
 * RGB model, and refused with the file named when they are colour for a grey model, not images, or
 * missing.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageInputError } from '../../trainer/infer/errors.ts';
import { readImageFiles } from '../../trainer/infer/image-files.ts';

describe('readImageFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cellsearch-images-'));
    const colour = Buffer.from(Array.from({ length: 30 * 20 * 3 }, (_, i) => (i * 13) % 256));
    await sharp(colour, { raw: { width: 20, height: 30, channels: 3 } })
      .png()
      .toFile(join(dir, 'colour.png'));
    const grey = Buffer.alloc(8 * 8, 200);
    await sharp(grey, { raw: { width: 8, height: 8, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toFile(join(dir, 'grey.png'));
    await writeFile(join(dir, 'text.png'), 'not an image');
  });

  it('scales and centre-crops any size to the model input', async () => {
    const bytes = await readImageFiles([join(dir, 'colour.png'), join(dir, 'grey.png')], {
      height: 6,
      width: 6,
      channels: 3,
    });
    expect(bytes).toHaveLength(2 * 6 * 6 * 3);
    expect(new Set(bytes.subarray(6 * 6 * 3))).toEqual(new Set([200])); // grey expanded to RGB
  });

  it('reads a grey image for a 1-channel model', async () => {
    const bytes = await readImageFiles([join(dir, 'grey.png')], {
      height: 4,
      width: 4,
      channels: 1,
    });
    expect(Array.from(bytes)).toEqual(new Array<number>(16).fill(200));
  });

  it('refuses a colour image for a 1-channel model, naming the file', async () => {
    const read = readImageFiles([join(dir, 'colour.png')], { height: 4, width: 4, channels: 1 });
    await expect(read).rejects.toThrow(ImageInputError);
    await expect(read).rejects.toThrow(
      `${join(dir, 'colour.png')}: is a colour image (3 channels); the model takes 1-channel (greyscale) images`,
    );
  });

  it('names a file that is not an image, or is missing', async () => {
    const shape = { height: 4, width: 4, channels: 3 };
    await expect(readImageFiles([join(dir, 'text.png')], shape)).rejects.toThrow(
      /text\.png: cannot be read as an image/,
    );
    await expect(readImageFiles([join(dir, 'none.png')], shape)).rejects.toThrow(
      /none\.png: cannot be read as an image/,
    );
  });
});
