/** Reads CIFAR-10 in its binary version (the `cifar-10-batches-bin` folder). */
import { join } from 'node:path';
import { decodeCifarRecords, type CifarRecordFormat } from './cifar-records.ts';
import { readDatasetFile, readOptionalLines } from './dataset-file.ts';
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

/** Reads every batch of CIFAR-10 from `dir`; throws a dataset error naming any missing or bad file. */
export async function readCifar10(dir: string): Promise<ImageDataset> {
  const train = await readBatches(dir, CIFAR10_TRAIN_FILES);
  const test = await readBatches(dir, [CIFAR10_TEST_FILE]);
  const names = await readOptionalLines(join(dir, 'batches.meta.txt'));
  return {
    name: 'cifar10',
    classCount: FORMAT.classCount,
    classNames: names?.length === FORMAT.classCount ? names : CIFAR10_CLASS_NAMES,
    train,
    test,
  };
}

async function readBatches(dir: string, names: readonly string[]): Promise<ImageSplit> {
  const sources = [];
  for (const name of names) {
    const file = join(dir, name);
    sources.push({ file, bytes: await readDatasetFile(file, 'CIFAR-10 batch') });
  }
  return decodeCifarRecords(sources, FORMAT);
}
