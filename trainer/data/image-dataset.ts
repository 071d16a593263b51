/**
 * The in-memory image classification dataset every reader produces: plain typed arrays, no tfjs,
 * so reading and splitting data is testable without a backend.
 */

/** The shape of one image: rows, columns and channels (1 for greyscale, 3 for RGB). */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Class indices, one per example: bytes when there are at most 256 classes, else 16-bit. */
export type LabelArray = Uint8Array | Uint16Array;

/** A set of labelled examples; `images` is NHWC bytes (example, row, column, channel). */
export interface ImageSplit {
  /** How many examples: `labels.length`, and `images.length / (height * width * channels)`. */
  readonly count: number;
  readonly shape: ImageShape;
  readonly images: Uint8Array;
  readonly labels: LabelArray;
}

/** A classification dataset: a training split, an optional test split, and what the labels mean. */
export interface ImageDataset {
  /** A short human-readable name, such as `cifar10` or `synthetic`. */
  readonly name: string;
  /** Labels are in `0 .. classCount - 1`. */
  readonly classCount: number;
  /** The name of each class by index, when the format records them. */
  readonly classNames?: readonly string[];
  readonly train: ImageSplit;
  readonly test?: ImageSplit;
}

/** The number of bytes of one image of this shape. */
export function imageBytes(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/** A zeroed label array wide enough for `classCount` classes. */
export function createLabels(classCount: number, count: number): LabelArray {
  return classCount <= 256 ? new Uint8Array(count) : new Uint16Array(count);
}

/** A split from its arrays; throws a RangeError if the array lengths disagree with the shape. */
export function createSplit(shape: ImageShape, images: Uint8Array, labels: LabelArray): ImageSplit {
  const count = labels.length;
  if (images.length !== count * imageBytes(shape)) {
    throw new RangeError(
      `images hold ${images.length} bytes; ${count} examples of ` +
        `${shape.height}x${shape.width}x${shape.channels} need ${count * imageBytes(shape)}`,
    );
  }
  return { count, shape, images, labels };
}

/** A new split holding copies of the examples at `indices`, in that order. */
export function selectExamples(split: ImageSplit, indices: readonly number[]): ImageSplit {
  const size = imageBytes(split.shape);
  const images = new Uint8Array(indices.length * size);
  const labels =
    split.labels instanceof Uint8Array
      ? new Uint8Array(indices.length)
      : new Uint16Array(indices.length);
  indices.forEach((from, to) => {
    if (!Number.isInteger(from) || from < 0 || from >= split.count) {
      throw new RangeError(`example index ${from} is out of range; allowed: 0..${split.count - 1}`);
    }
    images.set(split.images.subarray(from * size, (from + 1) * size), to * size);
    labels[to] = split.labels[from] ?? 0;
  });
  return { count: indices.length, shape: split.shape, images, labels };
}

/** How many examples of each class a split holds, indexed by class. */
export function classCounts(split: ImageSplit, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const label of split.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}
