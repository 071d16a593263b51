/**
 * What a dataset spec says about its data before a byte is read: the image shape, the classes and
 * how many examples each split holds. The standard datasets have published sizes; the synthetic one
 * is described by its options; an image folder's counts (and classes) are unknown until it is read.
 */
import type { DatasetSpec } from './dataset-spec.ts';
import { assertNever } from './ops.ts';
import type { Shape } from './shape.ts';

/** A dataset's shape and sizes as far as its spec tells them; `null` where only reading can tell. */
export interface DatasetFacts {
  /** One image: height, width and channels, as the trainer's reader produces it. */
  readonly image: Shape;
  readonly classes: number | null;
  readonly trainCount: number | null;
  readonly testCount: number | null;
}

/** CIFAR-10 and CIFAR-100: 50000 training and 10000 test images of 32x32 RGB (Krizhevsky 2009). */
const CIFAR = {
  image: { height: 32, width: 32, channels: 3 },
  trainCount: 50_000,
  testCount: 10_000,
};

/** MNIST and Fashion-MNIST: 60000 training and 10000 test images of 28x28 grey, 10 classes. */
const MNIST = {
  image: { height: 28, width: 28, channels: 1 },
  classes: 10,
  trainCount: 60_000,
  testCount: 10_000,
};

/** The embedded Fashion-MNIST subset (datasets/fashion-mnist-small/): 600 + 100 images per class. */
const FASHION_MNIST_SMALL = { ...MNIST, trainCount: 6000, testCount: 1000 };

/** The facts of `spec`; readers (trainer/data/) produce images of exactly these shapes. */
export function datasetFacts(spec: DatasetSpec): DatasetFacts {
  switch (spec.kind) {
    case 'fashion-mnist-small':
      return FASHION_MNIST_SMALL;
    case 'synthetic': {
      const image = { height: spec.size, width: spec.size, channels: 3 };
      return { image, classes: spec.classes, trainCount: spec.train, testCount: spec.test };
    }
    case 'cifar10':
      return { ...CIFAR, classes: 10 };
    case 'cifar100':
      return { ...CIFAR, classes: spec.labels === 'fine' ? 100 : 20 };
    case 'mnist':
    case 'fashion-mnist':
      return MNIST;
    case 'folder': {
      // Every image is decoded to RGB and scaled to size x size (trainer/data/image-folder.ts).
      const image = { height: spec.size, width: spec.size, channels: 3 };
      return { image, classes: null, trainCount: null, testCount: null };
    }
    default:
      return assertNever(spec, 'dataset kind');
  }
}
