/**
 * Decodes IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a
 * big-endian magic number 0x000008NN (unsigned bytes, NN dimensions), NN big-endian sizes, then data.
 */
import { BadMagicError, DatasetFileSizeError } from './errors.ts';

/** The dimensions and the unsigned-byte data of one IDX file. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** The magic number of an unsigned-byte IDX file with `rank` dimensions: 0x801 labels, 0x803 images. */
export function idxMagic(rank: number): number {
  return 0x0800 + rank;
}

/** Decodes `bytes` (read from `file`) as an unsigned-byte IDX array of the given rank; checks the size. */
export function decodeIdx(bytes: Uint8Array, file: string, rank: number): IdxArray {
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new DatasetFileSizeError(
      file,
      `size ${bytes.length} is shorter than the ${header}-byte IDX header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== idxMagic(rank)) throw new BadMagicError(file, magic, idxMagic(rank));
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    throw new DatasetFileSizeError(
      file,
      `size ${bytes.length} does not match its header (${dims.join('x')} needs ${expected} bytes)`,
    );
  }
  // A plain Uint8Array view (not a Node Buffer), without copying the data.
  return {
    dims,
    data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, bytes.length - header),
  };
}
