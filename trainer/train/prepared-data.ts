/**
 * The data of a trial: train and validation parts of the dataset's training split, its test split,
 * and the normalisation statistics of the training part. The last preparation is kept, so trials
 * that share a dataset and split share one copy (the dataset itself is cached by loadDataset).
 */
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import { channelStats, type ChannelStats } from '../data/channel-stats.ts';
import type { ImageDataset, ImageSplit } from '../data/image-dataset.ts';
import { loadDataset, type DatasetLimits } from '../data/load-dataset.ts';
import { holdOutValidation } from '../data/validation-split.ts';

/** A dataset ready for training. */
export interface PreparedData {
  readonly dataset: ImageDataset;
  readonly train: ImageSplit;
  readonly validation: ImageSplit | null;
  readonly test: ImageSplit | null;
  readonly stats: ChannelStats;
}

/** Smallest standard deviation used for normalising, so a constant channel does not divide by zero. */
const MIN_STD = 1e-3;

let last: { key: string; data: PreparedData } | null = null;

/**
 * Loads `spec` (cached per process; a read bounded by `limits` and cancelled by `signal`) and holds
 * out `validationSize` examples chosen by `seed` (0 = none).
 */
export async function prepareData(
  spec: DatasetSpec,
  validationSize: number,
  seed: number,
  read: { readonly limits?: DatasetLimits; readonly signal?: AbortSignal } = {},
): Promise<PreparedData> {
  const key = JSON.stringify([formatDatasetSpec(spec), validationSize, seed]);
  if (last?.key === key) return last.data;
  const dataset = await loadDataset(spec, read.limits, read.signal);
  const parts =
    validationSize > 0
      ? holdOutValidation(dataset.train, {
          size: validationSize,
          seed,
          stratify: true,
          classCount: dataset.classCount,
        })
      : { train: dataset.train, validation: null };
  const raw = channelStats(parts.train);
  const stats = { mean: raw.mean, std: raw.std.map((s) => Math.max(s, MIN_STD)) };
  const data = {
    dataset,
    train: parts.train,
    validation: parts.validation,
    test: dataset.test ?? null,
    stats,
  };
  last = { key, data };
  return data;
}
