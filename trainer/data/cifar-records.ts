/**
 * Decodes the CIFAR binary format (https://www.cs.toronto.edu/~kriz/cifar.html): fixed-size records
 * of label bytes followed by a 32x32 image stored as three channel planes (all R, then G, then B).
 */
import type { FileRule } from './dataset-file.ts';
import { DatasetFileSizeError, LabelOutOfRangeError } from './errors.ts';
import { createLabels, imageBytes, type ImageShape, type ImageSplit } from './image-dataset.ts';
import type { ReadBudget } from './read-budget.ts';

/** The image shape of every CIFAR record: 32x32 RGB. */
export const CIFAR_SHAPE: ImageShape = { height: 32, width: 32, channels: 3 };

/** Where a CIFAR variant keeps its label: CIFAR-10 has one label byte, CIFAR-100 two (coarse, fine). */
export interface CifarRecordFormat {
  /** How many label bytes precede each image. */
  readonly labelBytes: number;
  /** Which of those bytes is the label to use. */
  readonly labelIndex: number;
  /** Labels must be below this. */
  readonly classCount: number;
}

/** One file's bytes, with its path for error messages. */
export interface CifarSource {
  readonly file: string;
  readonly bytes: Uint8Array;
}

/** Bytes of one record of `format`: its label bytes and a 32x32x3 image. */
export function cifarRecordBytes(format: CifarRecordFormat): number {
  return format.labelBytes + imageBytes(CIFAR_SHAPE);
}

/**
 * Why a CIFAR file of `size` bytes cannot hold whole records of `recordBytes`, at least one and at
 * most `maxRecords` (the standard files' count), or null when it can.
 */
export function cifarSizeProblem(
  size: number,
  recordBytes: number,
  maxRecords: number,
): string | null {
  if (size === 0 || size % recordBytes !== 0) {
    return `size ${size} is not a multiple of the ${recordBytes}-byte record`;
  }
  const records = size / recordBytes;
  if (records > maxRecords) {
    return `holds ${records} records, more than the ${maxRecords} this file holds at most`;
  }
  return null;
}

/**
 * The rule of a CIFAR file (`what`, e.g. "CIFAR-10 batch") of at most `maxRecords` records: checked
 * by size before it is read (CIFAR-10's batches hold 10,000 records, CIFAR-100's train.bin 50,000).
 */
export function cifarFileRule(
  what: string,
  format: CifarRecordFormat,
  maxRecords: number,
): FileRule {
  const recordBytes = cifarRecordBytes(format);
  return {
    what,
    maxBytes: maxRecords * recordBytes,
    gzip: true,
    headerBytes: 0,
    check: (file, size) => {
      const problem = cifarSizeProblem(size, recordBytes, maxRecords);
      if (problem !== null) throw new DatasetFileSizeError(file, problem);
    },
  };
}

/**
 * Decodes the records of every source, in order, into one NHWC split; checks sizes and labels. The
 * split's arrays are reserved in `budget` (when given) before they are allocated.
 */
export function decodeCifarRecords(
  sources: readonly CifarSource[],
  format: CifarRecordFormat,
  budget?: ReadBudget,
): ImageSplit {
  const pixels = imageBytes(CIFAR_SHAPE);
  const recordBytes = cifarRecordBytes(format);
  for (const { file, bytes } of sources) {
    const problem = cifarSizeProblem(bytes.length, recordBytes, Infinity);
    if (problem !== null) throw new DatasetFileSizeError(file, problem);
  }
  const count = sources.reduce((n, s) => n + s.bytes.length / recordBytes, 0);
  budget?.reserve(count * (pixels + 1), sources[0]?.file ?? 'CIFAR records');
  const images = new Uint8Array(count * pixels);
  const labels = createLabels(format.classCount, count);
  let at = 0;
  for (const { file, bytes } of sources) {
    for (let r = 0; r * recordBytes < bytes.length; r++, at++) {
      const record = bytes.subarray(r * recordBytes, (r + 1) * recordBytes);
      const label = record[format.labelIndex] ?? 0;
      if (label >= format.classCount)
        throw new LabelOutOfRangeError(file, r, label, format.classCount);
      labels[at] = label;
      planarToInterleaved(
        record.subarray(format.labelBytes),
        images.subarray(at * pixels, (at + 1) * pixels),
      );
    }
  }
  return { count, shape: CIFAR_SHAPE, images, labels };
}

/** Copies channel planes (C, H*W) into interleaved pixels (H*W, C). */
function planarToInterleaved(planes: Uint8Array, out: Uint8Array): void {
  const { channels } = CIFAR_SHAPE;
  const area = CIFAR_SHAPE.height * CIFAR_SHAPE.width;
  for (let c = 0; c < channels; c++) {
    const plane = c * area;
    for (let p = 0; p < area; p++) out[p * channels + c] = planes[plane + p] ?? 0;
  }
}
