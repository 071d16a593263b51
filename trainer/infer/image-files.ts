/**
 * Image files as a model's input: each PNG or JPEG is scaled to cover the model's height x width
 * and centre-cropped, as image-folder datasets are read (../data/decode-image.ts), and given the
 * model's channels: RGB for a 3-channel model (grey images are expanded, as datasets do), grey for
 * a 1-channel one, which refuses colour images instead of guessing how to convert them. Each file is
 * read as dataset images are, bounded (a regular file of at most 64 MiB), and sharp gets its bytes.
 */
import sharp from 'sharp';
import { readDatasetFile } from '../data/dataset-file.ts';
import { IMAGE_FILE_RULE } from '../data/decode-image.ts';
import { DatasetFileError } from '../data/errors.ts';
import type { ImageShape } from '../data/image-dataset.ts';
import { imageBytes } from '../data/image-dataset.ts';
import { ImageInputError } from './errors.ts';

/** Decodes `files` into one NHWC byte array of `shape` images, in order. */
export async function readImageFiles(
  files: readonly string[],
  shape: ImageShape,
): Promise<Uint8Array> {
  const size = imageBytes(shape);
  const out = new Uint8Array(files.length * size);
  for (const [i, file] of files.entries()) {
    out.set(await decodeImage(file, shape), i * size);
  }
  return out;
}

/** One image file as `shape` bytes (HWC). */
async function decodeImage(file: string, shape: ImageShape): Promise<Uint8Array> {
  if (shape.height !== shape.width) {
    throw new ImageInputError(
      file,
      `the model takes ${shape.height}x${shape.width} images; only square inputs are supported`,
    );
  }
  const bytes = await readImageFile(file);
  const channels = await channelsOf(bytes, file);
  if (shape.channels === 1 && channels > 2) {
    throw new ImageInputError(
      file,
      `is a colour image (${channels} channels); the model takes 1-channel (greyscale) images`,
    );
  }
  if (shape.channels !== 1 && shape.channels !== 3) {
    throw new ImageInputError(
      file,
      `the model takes ${shape.channels}-channel images; only 1 (greyscale) and 3 (RGB) can be read from files`,
    );
  }
  let data: Buffer;
  try {
    const scaled = sharp(bytes)
      .rotate()
      .resize(shape.width, shape.height, { fit: 'cover', position: 'centre' })
      .flatten();
    data = await (shape.channels === 1 ? scaled.toColourspace('b-w') : scaled.toColourspace('srgb'))
      .raw()
      .toBuffer();
  } catch (err) {
    throw new ImageInputError(
      file,
      `cannot be decoded: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (data.length !== imageBytes(shape)) {
    throw new ImageInputError(
      file,
      `decoded to ${data.length} bytes, not ${shape.height}x${shape.width}x${shape.channels}`,
    );
  }
  return data;
}

/** The bytes of `file`; throws ImageInputError for a missing, special, or too large file. */
async function readImageFile(file: string): Promise<Uint8Array> {
  try {
    return await readDatasetFile(file, IMAGE_FILE_RULE);
  } catch (err) {
    if (!(err instanceof DatasetFileError)) throw err;
    throw new ImageInputError(file, `cannot be read as an image: ${err.problem}`);
  }
}

/** The channels `bytes` (of `file`) store, alpha included; throws ImageInputError if no image. */
async function channelsOf(bytes: Uint8Array, file: string): Promise<number> {
  try {
    const meta = await sharp(bytes).metadata();
    if (meta.format !== 'png' && meta.format !== 'jpeg') {
      throw new Error(`a ${meta.format} image; PNG and JPEG are supported`);
    }
    return meta.channels;
  } catch (err) {
    throw new ImageInputError(
      file,
      `cannot be read as an image: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
