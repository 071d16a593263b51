/**
 * Reads the dataset a spec names, with the reader for its kind (no caching; see load-dataset.ts).
 * The readers are a table over every kind, so a kind added to shared/dataset-spec.ts does not
 * compile until it has one.
 */
import type { DatasetKind, DatasetSpec, DatasetSpecOf } from '../../shared/dataset-spec.ts';
import { readCifar10 } from './cifar10.ts';
import { readCifar100 } from './cifar100.ts';
import { readFashionMnistSmall } from './fashion-mnist-small.ts';
import type { ImageDataset } from './image-dataset.ts';
import { readImageFolder } from './image-folder.ts';
import { readMnist } from './mnist.ts';
import { generateSynthetic } from './synthetic.ts';

/** Reads (or generates) a dataset of one kind from its spec. */
type Reader<K extends DatasetKind> = (spec: DatasetSpecOf<K>) => Promise<ImageDataset>;

/** The reader of every kind. */
const READERS: { readonly [K in DatasetKind]: Reader<K> } = {
  'fashion-mnist-small': () => readFashionMnistSmall(),
  synthetic: (spec) => Promise.resolve(generateSynthetic(spec)),
  cifar10: (spec) => readCifar10(spec.dir),
  cifar100: (spec) => readCifar100(spec.dir, spec.labels),
  mnist: (spec) => readMnist(spec.dir, spec.kind),
  'fashion-mnist': (spec) => readMnist(spec.dir, spec.kind),
  folder: (spec) => readImageFolder(spec.dir, spec.size),
};

/** Reads (or generates) the dataset `spec` names; throws a dataset error naming any bad file. */
export async function readDataset(spec: DatasetSpec): Promise<ImageDataset> {
  return readKind(spec.kind, spec);
}

/** `kind` apart from `spec` lets the compiler match the reader to the spec (TypeScript #47109). */
function readKind<K extends DatasetKind>(kind: K, spec: DatasetSpecOf<K>): Promise<ImageDataset> {
  const reader: Reader<K> = READERS[kind];
  return reader(spec);
}
