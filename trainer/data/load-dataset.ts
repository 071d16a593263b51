/**
 * The per-process dataset cache: each dataset is read once and shared by every trial the process
 * trains, keyed by the spec's canonical string. Callers must treat the arrays as read-only.
 */
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import type { DatasetReadOptions } from './dataset-file.ts';
import type { ImageDataset } from './image-dataset.ts';
import { ReadBudget } from './read-budget.ts';
import { readDataset } from './read-dataset.ts';

/**
 * What bounds a dataset read beyond each file's format: a trial process gets the same limits as its
 * trainer's CheckDataset (trainer/server/trainer-dataset-reader.ts), so a trial reads no dataset
 * that a check would refuse.
 */
export interface DatasetLimits {
  /** Every file must resolve inside this folder, links resolved (`--data-root`); any if undefined. */
  readonly root?: string;
  /** Bytes one read may hold, and how a refusal names that limit; unlimited when undefined. */
  readonly memory?: { readonly bytes: number; readonly name: string };
}

const cache = new Map<string, Promise<ImageDataset>>();

/**
 * The dataset `spec` names, read on first use and reused after; concurrent callers share one read,
 * and a failed read is forgotten so a later call retries it. The read that fills the cache is
 * bounded by `limits` and cancelled by `signal` (a process passes the same limits on every call; a
 * cached dataset is returned as it is). A relative folder is read relative to the working
 * directory (the trainer resolves folders before it gets here; see data-root.ts).
 */
export async function loadDataset(
  spec: DatasetSpec,
  limits: DatasetLimits = {},
  signal?: AbortSignal,
): Promise<ImageDataset> {
  const key = formatDatasetSpec(spec);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const loading = readDataset(spec, readOptions(limits, signal));
  cache.set(key, loading);
  loading.catch(() => {
    if (cache.get(key) === loading) cache.delete(key);
  });
  return loading;
}

/** Forgets every cached dataset, so the memory can be reclaimed once no trial holds them. */
export function clearDatasetCache(): void {
  cache.clear();
}

/** The options of one read: a fresh budget, so what one read held never counts against the next. */
function readOptions(limits: DatasetLimits, signal: AbortSignal | undefined): DatasetReadOptions {
  const { root, memory } = limits;
  return {
    ...(root === undefined ? {} : { root }),
    ...(memory === undefined ? {} : { budget: new ReadBudget(memory.bytes, memory.name) }),
    ...(signal === undefined ? {} : { signal }),
  };
}
