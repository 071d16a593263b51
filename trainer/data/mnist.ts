/**
 * Reads MNIST and Fashion-MNIST from their four standard IDX files, plain or gzipped
 * (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-...`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDatasetFile, type DatasetReadOptions } from './dataset-file.ts';
import {
  DatasetCountMismatchError,
  LabelOutOfRangeError,
  MissingDatasetFileError,
} from './errors.ts';
import { decodeIdx, idxFileRule } from './idx-file.ts';
import { createSplit, type ImageDataset, type ImageSplit } from './image-dataset.ts';

/** The two datasets stored this way; both have 10 classes of 28x28 greyscale images. */
export type MnistVariant = 'mnist' | 'fashion-mnist';

/** Class names by variant; Fashion-MNIST's come from its README (zalandoresearch/fashion-mnist). */
export const MNIST_CLASS_NAMES: Readonly<Record<MnistVariant, readonly string[]>> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
};

const CLASS_COUNT = 10;

const IMAGES = idxFileRule('IDX images file', 3);
const LABELS = idxFileRule('IDX labels file', 1);

/**
 * Reads the train and test splits of `variant` from `dir`, bounded by `options`; throws a dataset
 * error naming any bad file.
 */
export async function readMnist(
  dir: string,
  variant: MnistVariant,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  const train = await readSplit(dir, 'train', options);
  const test = await readSplit(dir, 't10k', options);
  return {
    name: variant,
    classCount: CLASS_COUNT,
    classNames: MNIST_CLASS_NAMES[variant],
    train,
    test,
  };
}

async function readSplit(
  dir: string,
  prefix: 'train' | 't10k',
  options: DatasetReadOptions,
): Promise<ImageSplit> {
  const imagesFile = findFile(dir, `${prefix}-images-idx3-ubyte`);
  const labelsFile = findFile(dir, `${prefix}-labels-idx1-ubyte`);
  // The splits are views of the bytes read (already counted in the budget), not copies.
  const images = decodeIdx(await readDatasetFile(imagesFile, IMAGES, options), imagesFile, 3);
  const labels = decodeIdx(await readDatasetFile(labelsFile, LABELS, options), labelsFile, 1);
  const [count = 0, height = 0, width = 0] = images.dims;
  const labelCount = labels.dims[0] ?? 0;
  if (count !== labelCount)
    throw new DatasetCountMismatchError(imagesFile, count, labelsFile, labelCount);
  labels.data.forEach((label, i) => {
    if (label >= CLASS_COUNT) throw new LabelOutOfRangeError(labelsFile, i, label, CLASS_COUNT);
  });
  return createSplit({ height, width, channels: 1 }, images.data, labels.data);
}

/** `dir/name`, or `dir/name.gz` when only that exists. */
function findFile(dir: string, name: string): string {
  const plain = join(dir, name);
  if (existsSync(plain)) return plain;
  if (existsSync(`${plain}.gz`)) return `${plain}.gz`;
  throw new MissingDatasetFileError(`${plain}[.gz]`, 'IDX file (looked for it plain and gzipped)');
}
