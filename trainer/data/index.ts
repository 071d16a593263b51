/**
 * The trainer's data layer: readers, the synthetic dataset, splits and the cache. Dataset specs are
 * parsed in shared/dataset-spec.ts.
 */
export * from './errors.ts';
export * from './image-dataset.ts';
export * from './load-dataset.ts';
export * from './read-dataset.ts';
export * from './validation-split.ts';
export * from './channel-stats.ts';
export * from './synthetic.ts';
export * from './cifar10.ts';
export * from './cifar100.ts';
export * from './mnist.ts';
export * from './fashion-mnist-small.ts';
export * from './image-folder.ts';
