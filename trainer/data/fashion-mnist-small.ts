/**
 * The embedded default dataset: a class-balanced subset of Fashion-MNIST (6000 training and 1000
 * test images) stored in the repository's datasets/fashion-mnist-small/ as Fashion-MNIST's own
 * gzipped IDX files (made by scripts/make-embedded-dataset.ts). The folder is found from the
 * package's root (runtime/package-path.ts), not the working directory, so a trainer started in any
 * folder reads it.
 */
import { packagePath } from '../../runtime/package-path.ts';
import type { ImageDataset } from './image-dataset.ts';
import { readMnist } from './mnist.ts';

/** The folder holding the embedded subset's four IDX files, its LICENSE and README.md. */
export const FASHION_MNIST_SMALL_DIR = packagePath('datasets', 'fashion-mnist-small');

/** Reads the embedded Fashion-MNIST subset; throws a dataset error naming any missing or bad file. */
export async function readFashionMnistSmall(): Promise<ImageDataset> {
  const data = await readMnist(FASHION_MNIST_SMALL_DIR, 'fashion-mnist');
  return { ...data, name: 'fashion-mnist-small' };
}
