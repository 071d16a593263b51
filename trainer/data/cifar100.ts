/** Reads CIFAR-100 in its binary version (the `cifar-100-binary` folder), with fine or coarse labels. */
import { join } from 'node:path';
import { cifarFileRule, decodeCifarRecords, type CifarRecordFormat } from './cifar-records.ts';
import { readDatasetFile, readOptionalLines, type DatasetReadOptions } from './dataset-file.ts';
import type { ImageDataset, ImageSplit } from './image-dataset.ts';

/** Which CIFAR-100 label to use: the 100 fine classes or the 20 coarse superclasses. */
export type Cifar100Labels = 'fine' | 'coarse';

/** Each record holds a coarse label byte, then a fine label byte, then the image. */
const FORMATS: Readonly<Record<Cifar100Labels, CifarRecordFormat>> = {
  coarse: { labelBytes: 2, labelIndex: 0, classCount: 20 },
  fine: { labelBytes: 2, labelIndex: 1, classCount: 100 },
};

/** Records of the standard files (www.cs.toronto.edu/~kriz/cifar.html); fewer are allowed. */
const MAX_RECORDS = { train: 50_000, test: 10_000 } as const;

/**
 * Reads `train.bin` and `test.bin` of CIFAR-100 from `dir`, bounded by `options`; throws a dataset
 * error naming any bad file.
 */
export async function readCifar100(
  dir: string,
  labels: Cifar100Labels,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  const format = FORMATS[labels];
  const train = await readSplit(dir, 'train', format, options);
  const test = await readSplit(dir, 'test', format, options);
  const names = await readOptionalLines(join(dir, `${labels}_label_names.txt`), options);
  return {
    name: labels === 'fine' ? 'cifar100' : 'cifar100-coarse',
    classCount: format.classCount,
    ...(names?.length === format.classCount ? { classNames: names } : {}),
    train,
    test,
  };
}

async function readSplit(
  dir: string,
  split: keyof typeof MAX_RECORDS,
  format: CifarRecordFormat,
  options: DatasetReadOptions,
): Promise<ImageSplit> {
  const file = join(dir, `${split}.bin`);
  const rule = cifarFileRule('CIFAR-100 file', format, MAX_RECORDS[split]);
  const bytes = await readDatasetFile(file, rule, options);
  return decodeCifarRecords([{ file, bytes }], format, options.budget);
}
