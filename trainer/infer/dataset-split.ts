/**
 * One split of a dataset, checked against the model it will be run on: the same image shape (a
 * folder dataset is read at its `size=`), and for evaluation the same number of classes.
 */
import { formatDatasetSpec, parseDatasetSpec } from '../../shared/dataset-spec.ts';
import type { ImageShape, ImageSplit } from '../data/image-dataset.ts';
import { loadDataset } from '../data/load-dataset.ts';
import { resolveDatasetUnderRoot } from '../data/data-root.ts';
import { DatasetModelMismatchError, EmptySplitError } from './errors.ts';
import type { SavedModel } from './saved-model.ts';

/** Which split to run on. */
export type SplitName = 'test' | 'train';

/** A split ready to run the model on. */
export interface ModelSplit {
  /** The dataset spec, canonical. */
  readonly dataset: string;
  readonly split: SplitName;
  readonly data: ImageSplit;
  readonly classNames?: readonly string[];
}

/**
 * Loads split `split` of dataset `spec` for `saved`; with `sameClasses`, its class count must be
 * the model's. Throws DatasetModelMismatchError for a missing split or images of another shape,
 * EmptySplitError for a split with no images.
 */
export async function loadSplitFor(
  saved: SavedModel,
  spec: string,
  split: SplitName,
  sameClasses: boolean,
): Promise<ModelSplit> {
  const parsed = await resolveDatasetUnderRoot(parseDatasetSpec(spec), undefined);
  const name = formatDatasetSpec(parsed);
  const dataset = await loadDataset(parsed);
  const data = split === 'test' ? dataset.test : dataset.train;
  if (data === undefined) {
    throw new DatasetModelMismatchError(name, 'has no test split; use --split train');
  }
  if (data.count === 0) throw new EmptySplitError(`dataset ${name}: its ${split} split`);
  if (!sameShape(data.shape, saved.input)) {
    const hint = parsed.kind === 'folder' ? ` (read it at size=${saved.input.height})` : '';
    throw new DatasetModelMismatchError(
      name,
      `has ${describe(data.shape)} images; the model takes ${describe(saved.input)}${hint}`,
    );
  }
  if (sameClasses && dataset.classCount !== saved.classes) {
    throw new DatasetModelMismatchError(
      name,
      `has ${dataset.classCount} classes; the model has ${saved.classes}`,
    );
  }
  const { classNames } = dataset;
  return { dataset: name, split, data, ...(classNames === undefined ? {} : { classNames }) };
}

function sameShape(a: ImageShape, b: ImageShape): boolean {
  return a.height === b.height && a.width === b.width && a.channels === b.channels;
}

function describe(s: ImageShape): string {
  return `${s.height}x${s.width}x${s.channels}`;
}
