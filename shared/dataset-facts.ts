/**
 * What a dataset spec says about its data before a byte is read: the image shape, the classes and
 * how many examples each split holds. Each kind's entry in the kind table (shared/dataset-spec.ts)
 * states them: the standard datasets have published sizes; the synthetic one is described by its
 * options; an image folder's counts (and classes) are unknown until it is read.
 */
import type { DatasetFacts } from './dataset-kind.ts';
import { DATASET_REGISTRY, type DatasetSpec } from './dataset-spec.ts';

/** The facts of `spec`; readers (trainer/data/) produce images of exactly these shapes. */
export function datasetFacts(spec: DatasetSpec): DatasetFacts {
  return DATASET_REGISTRY.facts(spec);
}
