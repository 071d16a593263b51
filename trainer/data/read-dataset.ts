/**
 * Reads the dataset a spec names, with the reader for its kind (no caching; see load-dataset.ts).
 * The readers are a table over every kind, so a kind added to shared/dataset-spec.ts does not
 * compile until it has one.
 */
import type { DatasetKind, DatasetSpec, DatasetSpecOf } from '../../shared/dataset-spec.ts';
import { readCifar10 } from './cifar10.ts';
import { readCifar100 } from './cifar100.ts';
import type { DatasetReadOptions } from './dataset-file.ts';
import { readFashionMnistSmall } from './fashion-mnist-small.ts';
import type { ImageDataset } from './image-dataset.ts';
import { readImageFolder } from './image-folder.ts';
import { readMnist } from './mnist.ts';
import { generateSynthetic } from './synthetic.ts';

/** Reads (or generates) a dataset of one kind from its spec, bounded by the read options. */
type Reader<K extends DatasetKind> = (
  spec: DatasetSpecOf<K>,
  options: DatasetReadOptions,
) => Promise<ImageDataset>;

/** The reader of every kind. */
const READERS: { readonly [K in DatasetKind]: Reader<K> } = {
  'fashion-mnist-small': () => readFashionMnistSmall(),
  synthetic: (spec) => Promise.resolve(generateSynthetic(spec)),
  cifar10: (spec, options) => readCifar10(spec.dir, options),
  cifar100: (spec, options) => readCifar100(spec.dir, spec.labels, options),
  mnist: (spec, options) => readMnist(spec.dir, spec.kind, options),
  'fashion-mnist': (spec, options) => readMnist(spec.dir, spec.kind, options),
  folder: (spec, options) => readImageFolder(spec.dir, spec.size, options),
};

/**
 * Reads (or generates) the dataset `spec` names; throws a dataset error naming any bad file. The
 * options bound the read (data root, memory budget, cancellation); each file is bounded by its
 * format even without them.
 */
export async function readDataset(
  spec: DatasetSpec,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  return readKind(spec.kind, spec, options);
}

/** `kind` apart from `spec` lets the compiler match the reader to the spec (TypeScript #47109). */
function readKind<K extends DatasetKind>(
  kind: K,
  spec: DatasetSpecOf<K>,
  options: DatasetReadOptions,
): Promise<ImageDataset> {
  const reader: Reader<K> = READERS[kind];
  return reader(spec, options);
}
