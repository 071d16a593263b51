/** Reads CIFAR-10 in its binary version (the `cifar-10-batches-bin` folder). */
import { join } from 'node:path';
import { cifarFileRule, decodeCifarRecords, type CifarRecordFormat } from './cifar-records.ts';
import { readDatasetFile, readOptionalLines, type DatasetReadOptions } from './dataset-file.ts';
import type { ImageDataset, ImageSplit } from './image-dataset.ts';

/** The training batches of CIFAR-10 (10,000 records each) and its test batch. */
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
/** The CIFAR-10 test batch. */
export const CIFAR10_TEST_FILE = 'test_batch.bin';

/** CIFAR-10's class names, as in its `batches.meta.txt`, used when that file is absent. */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

const FORMAT: CifarRecordFormat = { labelBytes: 1, labelIndex: 0, classCount: 10 };

/** Records of a standard batch (https://www.cs.toronto.edu/~kriz/cifar.html); fewer are allowed. */
const BATCH_RECORDS = 10_000;

const BATCH = cifarFileRule('CIFAR-10 batch', FORMAT, BATCH_RECORDS);

/**
 * Reads every batch of CIFAR-10 from `dir`, bounded by `options`; throws a dataset error naming any
 * missing or bad file.
 */
export async function readCifar10(
  dir: string,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  const train = await readBatches(dir, CIFAR10_TRAIN_FILES, options);
  const test = await readBatches(dir, [CIFAR10_TEST_FILE], options);
  const names = await readOptionalLines(join(dir, 'batches.meta.txt'), options);
  return {
    name: 'cifar10',
    classCount: FORMAT.classCount,
    classNames: names?.length === FORMAT.classCount ? names : CIFAR10_CLASS_NAMES,
    train,
    test,
  };
}

async function readBatches(
  dir: string,
  names: readonly string[],
  options: DatasetReadOptions,
): Promise<ImageSplit> {
  const sources = [];
  for (const name of names) {
    const file = join(dir, name);
    sources.push({ file, bytes: await readDatasetFile(file, BATCH, options) });
  }
  return decodeCifarRecords(sources, FORMAT, options.budget);
}
