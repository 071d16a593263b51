/**
 * The answer to CheckDataset: reads a dataset exactly as a trial on this trainer would (its folder
 * resolved under the data root, the same readers) and reports its shape, classes and split sizes.
 * Only those facts are kept, per spec, so a dataset is read once and its images are not held here:
 * the trial processes read and cache their own copy. A failed read is not remembered, so a fixed
 * folder is read again. The synthetic dataset is generated, not read: its spec says everything.
 * Reads are bounded as trainer-dataset-reader.ts says; callers asking for one dataset together
 * share its read, which stops once every one of them has left (cancelled its call).
 */
import { datasetFacts } from '../../shared/dataset-facts.ts';
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import type { CheckedDataset } from '../../proto/dataset-codec.ts';
import { throwIfAborted } from '../data/bounded-file.ts';
import { resolveDatasetUnderRoot } from '../data/data-root.ts';
import { createTrainerDatasetReader, type DatasetReader } from './trainer-dataset-reader.ts';

export type { DatasetReader } from './trainer-dataset-reader.ts';

/**
 * Checks one dataset spec; rejects with the reader's dataset error or DatasetOutsideRootError, and
 * with the abort reason as soon as `signal` aborts (the caller left).
 */
export type DatasetChecker = (spec: DatasetSpec, signal?: AbortSignal) => Promise<CheckedDataset>;

/** Facts remembered at most; a trainer sees a handful of datasets, so this only bounds a misuse. */
const CACHE_LIMIT = 64;

/** One check, under way or done, and the callers waiting for it. */
interface SharedCheck {
  readonly result: Promise<CheckedDataset>;
  /** Aborted when the last caller waiting has left before the read ended. */
  readonly reading: AbortController;
  /** Callers waiting that may still leave. */
  waiting: number;
  /** A caller that cannot leave (no signal) waits: the read runs to its end. */
  pinned: boolean;
  settled: boolean;
}

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
  const known = new Map<string, SharedCheck>();
  const forget = (key: string, check: SharedCheck): void => {
    if (known.get(key) === check) known.delete(key);
  };
  return async (asked, signal) => {
    throwIfAborted(signal);
    const spec = await resolveDatasetUnderRoot(asked, dataRoot);
    const key = formatDatasetSpec(spec);
    let check = known.get(key);
    if (check === undefined) {
      check = startCheck(spec, read);
      if (known.size >= CACHE_LIMIT) known.clear();
      known.set(key, check);
      const started = check;
      started.result.catch(() => forget(key, started));
    }
    const joined = check;
    return waitFor(joined, signal, () => forget(key, joined));
  };
}

function startCheck(spec: DatasetSpec, read: DatasetReader): SharedCheck {
  const reading = new AbortController();
  const check: SharedCheck = {
    result: describe(spec, read, reading.signal),
    reading,
    waiting: 0,
    pinned: false,
    settled: false,
  };
  const settle = (): void => {
    check.settled = true;
  };
  check.result.then(settle, settle);
  return check;
}

/**
 * The check's result for one caller: rejects at once when `signal` aborts, and then, when no caller
 * is left waiting, forgets the check (`abandon`: a caller arriving later reads afresh) and stops
 * its read.
 */
async function waitFor(
  check: SharedCheck,
  signal: AbortSignal | undefined,
  abandon: () => void,
): Promise<CheckedDataset> {
  if (signal === undefined) {
    check.pinned = true;
    return check.result;
  }
  throwIfAborted(signal);
  check.waiting++;
  // Whichever comes first, the abort or the result, ends this caller's wait.
  let leave = (): void => undefined;
  const left = new Promise<never>((_resolve, reject) => {
    leave = () => {
      check.waiting--;
      if (check.waiting === 0 && !check.pinned && !check.settled) {
        abandon();
        check.reading.abort(signal.reason);
      }
      reject(abortError(signal));
    };
  });
  signal.addEventListener('abort', leave, { once: true });
  try {
    return await Promise.race([check.result, left]);
  } finally {
    signal.removeEventListener('abort', leave);
    if (!signal.aborted) check.waiting--;
  }
}

/** What throwIfAborted throws for `signal`: its reason when an Error, else an AbortError. */
function abortError(signal: AbortSignal): Error {
  try {
    throwIfAborted(signal);
  } catch (err) {
    if (err instanceof Error) return err;
  }
  return new DOMException('dataset check cancelled', 'AbortError');
}

async function describe(
  spec: DatasetSpec,
  read: DatasetReader,
  signal: AbortSignal,
): Promise<CheckedDataset> {
  if (spec.kind === 'synthetic') {
    const { image } = datasetFacts(spec);
    return { image, classes: spec.classes, trainCount: spec.train, testCount: spec.test };
  }
  const dataset = await read(spec, signal);
  return {
    image: { ...dataset.train.shape },
    classes: dataset.classCount,
    trainCount: dataset.train.count,
    testCount: dataset.test?.count ?? 0,
  };
}
