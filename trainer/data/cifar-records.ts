/**
 * Decodes the CIFAR binary format (https://www.cs.toronto.edu/~kriz/cifar.html): fixed-size records
 * of label bytes followed by a 32x32 image stored as three channel planes (all R, then G, then B).
 */
import { DatasetFileSizeError, LabelOutOfRangeError } from './errors.ts';
import { createLabels, imageBytes, type ImageShape, type ImageSplit } from './image-dataset.ts';

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

/** Decodes the records of every source, in order, into one NHWC split; checks sizes and labels. */
export function decodeCifarRecords(
  sources: readonly CifarSource[],
  format: CifarRecordFormat,
): ImageSplit {
  const pixels = imageBytes(CIFAR_SHAPE);
  const recordBytes = format.labelBytes + pixels;
  for (const { file, bytes } of sources) {
    if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
      throw new DatasetFileSizeError(
        file,
        `size ${bytes.length} is not a multiple of the ${recordBytes}-byte record`,
      );
    }
  }
  const count = sources.reduce((n, s) => n + s.bytes.length / recordBytes, 0);
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
