/** Reads the dataset a spec names, with the reader for its kind (no caching; see load-dataset.ts). */
import { assertNever } from '../../shared/ops.ts';
import { readCifar10 } from './cifar10.ts';
import { readCifar100 } from './cifar100.ts';
import type { DatasetSpec } from './dataset-spec.ts';
import type { ImageDataset } from './image-dataset.ts';
import { readImageFolder } from './image-folder.ts';
import { readMnist } from './mnist.ts';
import { generateSynthetic } from './synthetic.ts';

/** Reads (or generates) the dataset `spec` names; throws a dataset error naming any bad file. */
export async function readDataset(spec: DatasetSpec): Promise<ImageDataset> {
  switch (spec.kind) {
    case 'synthetic':
      return generateSynthetic(spec);
    case 'cifar10':
      return readCifar10(spec.dir);
    case 'cifar100':
      return readCifar100(spec.dir, spec.labels);
    case 'mnist':
    case 'fashion-mnist':
      return readMnist(spec.dir, spec.kind);
    case 'folder':
      return readImageFolder(spec.dir, spec.size);
    default:
      return assertNever(spec, 'dataset spec');
  }
}
