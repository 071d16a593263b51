/**
 * The answer to CheckDataset: reads a dataset exactly as a trial on this trainer would (its folder
 * resolved under the data root, the same readers) and reports its shape, classes and split sizes.
 * Only those facts are kept, per spec, so a dataset is read once and its images are not held here:
 * the trial processes read and cache their own copy. A failed read is not remembered, so a fixed
 * folder is read again. The synthetic dataset is generated, not read: its spec says everything.
 * Reads are bounded as trainer-dataset-reader.ts says.
 */
import { datasetFacts } from '../../shared/dataset-facts.ts';
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import type { CheckedDataset } from '../../proto/dataset-codec.ts';
import { resolveDatasetUnderRoot } from './data-root.ts';
import { createTrainerDatasetReader, type DatasetReader } from './trainer-dataset-reader.ts';

export type { DatasetReader } from './trainer-dataset-reader.ts';

/** Checks one dataset spec; rejects with the reader's dataset error or DatasetOutsideRootError. */
export type DatasetChecker = (spec: DatasetSpec) => Promise<CheckedDataset>;

/** Facts remembered at most; a trainer sees a handful of datasets, so this only bounds a misuse. */
const CACHE_LIMIT = 64;

/**
 * A checker for datasets under `dataRoot` (any folder when undefined, as for trials); `read` by
 * default confines every file to the root but counts no memory limit and is never cancelled.
 */
export function createDatasetChecker(
  dataRoot: string | undefined,
  read: DatasetReader = createTrainerDatasetReader(
    dataRoot === undefined ? {} : { root: dataRoot },
  ),
): DatasetChecker {
  const known = new Map<string, Promise<CheckedDataset>>();
  return async (asked) => {
    const spec = await resolveDatasetUnderRoot(asked, dataRoot);
    const key = formatDatasetSpec(spec);
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const checking = describe(spec, read);
    if (known.size >= CACHE_LIMIT) known.clear();
    known.set(key, checking);
    checking.catch(() => {
      if (known.get(key) === checking) known.delete(key);
    });
    return checking;
  };
}

async function describe(spec: DatasetSpec, read: DatasetReader): Promise<CheckedDataset> {
  if (spec.kind === 'synthetic') {
    const { image } = datasetFacts(spec);
    return { image, classes: spec.classes, trainCount: spec.train, testCount: spec.test };
  }
  const dataset = await read(spec);
  return {
    image: { ...dataset.train.shape },
    classes: dataset.classCount,
    trainCount: dataset.train.count,
    testCount: dataset.test?.count ?? 0,
  };
}
