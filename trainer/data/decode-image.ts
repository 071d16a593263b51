/** Decodes one JPEG or PNG file to RGB bytes of a fixed size, with sharp (libvips). */
import sharp from 'sharp';
import { CorruptDatasetFileError } from './errors.ts';

/**
 * Decodes `file`, applies its EXIF orientation, scales it to cover `size` x `size` and crops the
 * centre, flattens any alpha onto black and converts grey to RGB; writes size*size*3 bytes (HWC) to `out`.
 */
export async function decodeImageInto(file: string, size: number, out: Uint8Array): Promise<void> {
  let data: Buffer;
  try {
    data = await sharp(file)
      .rotate()
      .resize(size, size, { fit: 'cover', position: 'centre' })
      .flatten()
      .toColourspace('srgb')
      .raw()
      .toBuffer();
  } catch (err) {
    throw new CorruptDatasetFileError(file, err instanceof Error ? err.message : String(err));
  }
  if (data.length !== size * size * 3) {
    throw new CorruptDatasetFileError(
      file,
      `decoded to ${data.length} bytes, not ${size}x${size}x3`,
    );
  }
  out.set(data);
}
