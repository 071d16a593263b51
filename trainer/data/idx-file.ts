/**
 * Decodes IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a
 * big-endian magic number 0x000008NN (unsigned bytes, NN dimensions), NN big-endian sizes, then data.
 */
import { MAX_DATASET_FILE_BYTES, type FileRule } from './dataset-file.ts';
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

/** Bytes of the header of an IDX file of `rank` dimensions: the magic number and one size each. */
export function idxHeaderBytes(rank: number): number {
  return 4 + 4 * rank;
}

/**
 * The dimensions an IDX header declares and the file size they imply; `size` is the file's size
 * (`header` may hold only its first bytes). Throws for a short file or a bad magic number.
 */
export function idxHeader(
  header: Uint8Array,
  size: number,
  file: string,
  rank: number,
): { dims: number[]; expected: number } {
  const headerBytes = idxHeaderBytes(rank);
  if (size < headerBytes || header.length < headerBytes) {
    throw new DatasetFileSizeError(
      file,
      `size ${size} is shorter than the ${headerBytes}-byte IDX header`,
    );
  }
  const view = new DataView(header.buffer, header.byteOffset, headerBytes);
  const magic = view.getUint32(0, false);
  if (magic !== idxMagic(rank)) throw new BadMagicError(file, magic, idxMagic(rank));
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { dims, expected: headerBytes + dims.reduce((a, b) => a * b, 1) };
}

/**
 * The rule of an IDX file of `rank` dimensions (`what`, e.g. "IDX images file"): its size must be
 * the one its header implies, checked from the header alone before the data is read.
 */
export function idxFileRule(what: string, rank: number): FileRule {
  return {
    what,
    maxBytes: MAX_DATASET_FILE_BYTES,
    gzip: true,
    headerBytes: idxHeaderBytes(rank),
    check: (file, size, header) => {
      const { dims, expected } = idxHeader(header, size, file, rank);
      if (size !== expected) throw sizeMismatch(file, size, dims, expected);
    },
  };
}

/** Decodes `bytes` (read from `file`) as an unsigned-byte IDX array of the given rank; checks the size. */
export function decodeIdx(bytes: Uint8Array, file: string, rank: number): IdxArray {
  const { dims, expected } = idxHeader(bytes, bytes.length, file, rank);
  if (bytes.length !== expected) throw sizeMismatch(file, bytes.length, dims, expected);
  const header = idxHeaderBytes(rank);
  // A plain Uint8Array view (not a Node Buffer), without copying the data.
  return {
    dims,
    data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, bytes.length - header),
  };
}

function sizeMismatch(
  file: string,
  size: number,
  dims: readonly number[],
  expected: number,
): DatasetFileSizeError {
  return new DatasetFileSizeError(
    file,
    `size ${size} does not match its header (${dims.join('x')} needs ${expected} bytes)`,
  );
}
