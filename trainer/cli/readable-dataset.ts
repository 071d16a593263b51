/**
 * `nas-trainer train` reads its dataset before it loads the backend: a dataset it cannot read fails
 * at once, in one line naming the dataset, and the trial then takes the dataset from the cache.
 */
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import { CellsearchError } from '../../shared/errors.ts';
import { DatasetFileError } from '../data/errors.ts';
import { loadDataset } from '../data/load-dataset.ts';

/** A dataset `nas-trainer train` cannot read: names the spec and the file at fault. */
export class DatasetUnreadableError extends CellsearchError {
  constructor(spec: DatasetSpec, reason: string) {
    super('DATASET_UNREADABLE', `dataset ${formatDatasetSpec(spec)}: cannot read ${reason}`);
  }
}

/** Reads `spec` into the process's dataset cache; throws DatasetUnreadableError when it cannot. */
export async function readDatasetFirst(spec: DatasetSpec): Promise<void> {
  try {
    await loadDataset(spec);
  } catch (err) {
    if (err instanceof DatasetFileError) throw new DatasetUnreadableError(spec, err.message);
    throw err;
  }
}
