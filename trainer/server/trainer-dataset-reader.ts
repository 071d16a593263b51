/**
 * How the trainer's own process reads a dataset to answer CheckDataset: with the trainer's readers,
 * every file confined to the data root, one dataset at a time, its bytes counted against the
 * trainer's memory limit (a read that would pass it is refused before it allocates), and cancelled
 * by the trainer's shutdown or by its caller's leaving between two chunks, files or images.
 */
import type { DatasetSpec } from '../../shared/dataset-spec.ts';
import { throwIfAborted } from '../data/bounded-file.ts';
import type { ImageDataset } from '../data/image-dataset.ts';
import { ReadBudget } from '../data/read-budget.ts';
import { TRAINER_LIMIT } from './admission.ts';

/**
 * Reads a dataset (the trainer's reader table by default; loaded on first use); aborting `signal`
 * stops this read (its caller left) as the shutdown signal of the limits stops every read.
 */
export type DatasetReader = (spec: DatasetSpec, signal?: AbortSignal) => Promise<ImageDataset>;

/** What bounds the trainer's dataset reads. */
export interface TrainerReadLimits {
  /** Every file read must lie under this folder, links resolved (`--data-root`); any if undefined. */
  readonly root?: string;
  /** Bytes one read may hold (`--max-memory`); unlimited when undefined. */
  readonly maxMemoryBytes?: number;
  /** How refusals name that limit (default: as admission.ts names `--max-memory`). */
  readonly limitName?: string;
  /** Aborted at shutdown: the read in progress stops, queued ones never start. */
  readonly signal?: AbortSignal;
}

/**
 * A reader that runs one read at a time (so reads asked together hold at most one dataset's
 * memory, never one each) within `limits`.
 */
export function createTrainerDatasetReader(limits: TrainerReadLimits = {}): DatasetReader {
  let previous: Promise<unknown> = Promise.resolve();
  return (spec, signal) => {
    const reading = previous.then(() => readBounded(spec, limits, signal));
    previous = reading.catch(() => undefined);
    return reading;
  };
}

async function readBounded(
  spec: DatasetSpec,
  limits: TrainerReadLimits,
  callerSignal: AbortSignal | undefined,
): Promise<ImageDataset> {
  // Either the shutdown or the caller's leaving stops the read; a queued read whose caller left
  // never starts.
  const given = [limits.signal, callerSignal].filter((s) => s !== undefined);
  const signal = given.length > 1 ? AbortSignal.any(given) : given[0];
  throwIfAborted(signal);
  // Imported on first use: the image decoder the readers load is not needed before.
  const { readDataset } = await import('../data/read-dataset.ts');
  const budget = new ReadBudget(
    limits.maxMemoryBytes ?? Infinity,
    limits.limitName ?? TRAINER_LIMIT,
  );
  return readDataset(spec, {
    budget,
    ...(limits.root === undefined ? {} : { root: limits.root }),
    ...(signal === undefined ? {} : { signal }),
  });
}
