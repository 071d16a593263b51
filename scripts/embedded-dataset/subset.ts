/**
 * The pure part of scripts/make-embedded-dataset.ts: which examples of an IDX split the embedded
 * subset keeps (the first N of each class, in file order), the IDX bytes of the kept examples, and
 * gzip without a timestamp, so the same source always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { decodeIdx, idxMagic } from '../../trainer/data/idx-file.ts';

/** One split of an IDX dataset as its two files' bytes (plain, not gzipped). */
export interface IdxSplitBytes {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/**
 * The indices of the first `perClass` examples of each class `0 .. classes-1`, in file order.
 * Throws a RangeError naming the class when a class has fewer examples than that.
 */
export function firstPerClass(labels: Uint8Array, perClass: number, classes: number): number[] {
  const taken = new Array<number>(classes).fill(0);
  const kept: number[] = [];
  labels.forEach((label, i) => {
    if (label < classes && (taken[label] ?? 0) < perClass) {
      taken[label] = (taken[label] ?? 0) + 1;
      kept.push(i);
    }
  });
  const short = taken.findIndex((n) => n < perClass);
  if (short >= 0)
    throw new RangeError(`class ${short} has ${taken[short]} examples; ${perClass} are needed`);
  return kept;
}

/** The bytes of an unsigned-byte IDX file: magic number, big-endian sizes, then `data`. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, idxMagic(dims.length), false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  bytes.set(data, header);
  return bytes;
}

/**
 * The class-balanced subset of one split: the first `perClass` images of each of `classes` classes,
 * in the order the source files hold them. `name` names the split in error messages.
 */
export function balancedSubset(
  source: IdxSplitBytes,
  perClass: number,
  classes: number,
  name: string,
): IdxSplitBytes {
  const images = decodeIdx(source.images, `${name} images`, 3);
  const labels = decodeIdx(source.labels, `${name} labels`, 1);
  const [, height = 0, width = 0] = images.dims;
  const size = height * width;
  const kept = firstPerClass(labels.data, perClass, classes);
  const pixels = new Uint8Array(kept.length * size);
  kept.forEach((index, k) =>
    pixels.set(images.data.subarray(index * size, (index + 1) * size), k * size),
  );
  return {
    images: encodeIdx([kept.length, height, width], pixels),
    labels: encodeIdx(
      [kept.length],
      Uint8Array.from(kept, (index) => labels.data[index] ?? 0),
    ),
  };
}

/**
 * `bytes` gzipped at level 9. Node's gzip header carries no file name and a zero modification
 * time, so the output depends on the input (and the zlib build) only.
 */
export function gzipFixed(bytes: Uint8Array): Buffer {
  return gzipSync(bytes, { level: 9 });
}

/** The SHA-256 of `bytes` in hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
