/**
 * The per-process dataset cache: each dataset is read once and shared by every trial the process
 * trains, keyed by the spec's canonical string. Callers must treat the arrays as read-only.
 */
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import type { ImageDataset } from './image-dataset.ts';
import { readDataset } from './read-dataset.ts';

const cache = new Map<string, Promise<ImageDataset>>();

/**
 * The dataset `spec` names, read on first use and reused after; concurrent callers share one read,
 * and a failed read is forgotten so a later call retries it. A relative folder is read relative to
 * the working directory (the trainer resolves folders before it gets here; see data-root.ts).
 */
export async function loadDataset(spec: DatasetSpec): Promise<ImageDataset> {
  const key = formatDatasetSpec(spec);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const loading = readDataset(spec);
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
