/** Reads CIFAR-100 in its binary version (the `cifar-100-binary` folder), with fine or coarse labels. */
import { join } from 'node:path';
import { decodeCifarRecords, type CifarRecordFormat } from './cifar-records.ts';
import { readDatasetFile, readOptionalLines } from './dataset-file.ts';
import type { ImageDataset, ImageSplit } from './image-dataset.ts';

/** Which CIFAR-100 label to use: the 100 fine classes or the 20 coarse superclasses. */
export type Cifar100Labels = 'fine' | 'coarse';

/** Each record holds a coarse label byte, then a fine label byte, then the image. */
const FORMATS: Readonly<Record<Cifar100Labels, CifarRecordFormat>> = {
  coarse: { labelBytes: 2, labelIndex: 0, classCount: 20 },
  fine: { labelBytes: 2, labelIndex: 1, classCount: 100 },
};

/** Reads `train.bin` and `test.bin` of CIFAR-100 from `dir`; throws a dataset error naming any bad file. */
export async function readCifar100(dir: string, labels: Cifar100Labels): Promise<ImageDataset> {
  const format = FORMATS[labels];
  const train = await readSplit(join(dir, 'train.bin'), format);
  const test = await readSplit(join(dir, 'test.bin'), format);
  const names = await readOptionalLines(join(dir, `${labels}_label_names.txt`));
  return {
    name: labels === 'fine' ? 'cifar100' : 'cifar100-coarse',
    classCount: format.classCount,
    ...(names?.length === format.classCount ? { classNames: names } : {}),
    train,
    test,
  };
}

async function readSplit(file: string, format: CifarRecordFormat): Promise<ImageSplit> {
  const bytes = await readDatasetFile(file, 'CIFAR-100 file');
  return decodeCifarRecords([{ file, bytes }], format);
}
