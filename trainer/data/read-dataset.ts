/**
 * Reads the dataset a spec names, with the reader for its kind (no caching; see load-dataset.ts).
 * The readers are a table over every kind, so a kind added to shared/dataset-spec.ts does not
 * compile until it has one; {@link readDatasetWith} reads through any such table, built-in or not.
 */
import type { DatasetKindTable, DatasetSpecIn, DatasetSpecsOf } from '../../shared/dataset-kind.ts';
import type { DATASET_KIND_TABLE, DatasetSpec } from '../../shared/dataset-spec.ts';
import { readCifar10 } from './cifar10.ts';
import { readCifar100 } from './cifar100.ts';
import type { DatasetReadOptions } from './dataset-file.ts';
import { readFashionMnistSmall } from './fashion-mnist-small.ts';
import type { ImageDataset } from './image-dataset.ts';
import { readImageFolder } from './image-folder.ts';
import { readMnist } from './mnist.ts';
import { generateSynthetic } from './synthetic.ts';

/** Reads (or generates) a dataset from its spec, bounded by the read options. */
export type DatasetReader<S> = (spec: S, options: DatasetReadOptions) => Promise<ImageDataset>;

/** A reader for every kind of table `T`, each taking its own kind's spec. */
export type DatasetReaders<T extends DatasetKindTable> = {
  readonly [K in keyof T & string]: DatasetReader<DatasetSpecsOf<T>[K]>;
};

/** The reader of every built-in kind. */
export const READERS: DatasetReaders<typeof DATASET_KIND_TABLE> = Object.freeze({
  'fashion-mnist-small': () => readFashionMnistSmall(),
  synthetic: (spec) => Promise.resolve(generateSynthetic(spec)),
  cifar10: (spec, options) => readCifar10(spec.dir, options),
  cifar100: (spec, options) => readCifar100(spec.dir, spec.labels, options),
  mnist: (spec, options) => readMnist(spec.dir, spec.kind, options),
  'fashion-mnist': (spec, options) => readMnist(spec.dir, spec.kind, options),
  folder: (spec, options) => readImageFolder(spec.dir, spec.size, options),
});

/**
 * Reads (or generates) the dataset `spec` names; throws a dataset error naming any bad file. The
 * options bound the read (data root, memory budget, cancellation); each file is bounded by its
 * format even without them.
 */
export async function readDataset(
  spec: DatasetSpec,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  return readDatasetWith(READERS, spec, options);
}

/** Reads `spec` with its kind's reader in `readers`: {@link readDataset} over any kind table. */
export async function readDatasetWith<T extends DatasetKindTable>(
  readers: DatasetReaders<T>,
  spec: DatasetSpecIn<T>,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  return readKind(readers, spec.kind, spec, options);
}

/** `kind` apart from `spec` lets the compiler match the reader to the spec (TypeScript #47109). */
function readKind<T extends DatasetKindTable, K extends keyof T & string>(
  readers: DatasetReaders<T>,
  kind: K,
  spec: DatasetSpecsOf<T>[K],
  options: DatasetReadOptions,
): Promise<ImageDataset> {
  const reader: DatasetReader<DatasetSpecsOf<T>[K]> = readers[kind];
  return reader(spec, options);
}
