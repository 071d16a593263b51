/**
 * Decodes one JPEG or PNG file to RGB bytes of a fixed size, with sharp (libvips). The file is read
 * here, bounded (a regular file of at most {@link MAX_IMAGE_FILE_BYTES}), and sharp decodes the
 * bytes: sharp never opens a path itself, so a FIFO or a device never reaches it.
 */
import sharp from 'sharp';
import { readDatasetFile, type DatasetReadOptions, type FileRule } from './dataset-file.ts';
import { CorruptDatasetFileError } from './errors.ts';

/** Largest image file read: 64 MiB, above a 50-megapixel JPEG or a 4K PNG. */
export const MAX_IMAGE_FILE_BYTES = 64 * 2 ** 20;

/** An image file: a regular file of at most {@link MAX_IMAGE_FILE_BYTES}, never gunzipped. */
export const IMAGE_FILE_RULE: FileRule = {
  what: 'image file',
  maxBytes: MAX_IMAGE_FILE_BYTES,
  gzip: false,
  headerBytes: 0,
  check: () => undefined,
};

/**
 * Decodes `file`, applies its EXIF orientation, scales it to cover `size` x `size` and crops the
 * centre, flattens any alpha onto black and converts grey to RGB; writes size*size*3 bytes (HWC) to
 * `out`. The file's bytes are held in `options.budget` until decoded.
 */
export async function decodeImageInto(
  file: string,
  size: number,
  out: Uint8Array,
  options: DatasetReadOptions = {},
): Promise<void> {
  const bytes = await readDatasetFile(file, IMAGE_FILE_RULE, options);
  let data: Buffer;
  try {
    data = await sharp(bytes)
      .rotate()
      .resize(size, size, { fit: 'cover', position: 'centre' })
      .flatten()
      .toColourspace('srgb')
      .raw()
      .toBuffer();
  } catch (err) {
    throw new CorruptDatasetFileError(file, err instanceof Error ? err.message : String(err));
  } finally {
    options.budget?.release(bytes.length);
  }
  if (data.length !== size * size * 3) {
    throw new CorruptDatasetFileError(
      file,
      `decoded to ${data.length} bytes, not ${size}x${size}x3`,
    );
  }
  out.set(data);
}
