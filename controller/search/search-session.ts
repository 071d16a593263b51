/**
 * Sets a search up: a new run directory or a resumed one, the strategy (restored from its latest
 * snapshot and the journal after it), and the trainer pool (named trainers, expanded through DNS;
 * `nas-ctl search` starts local ones itself, see controller/cli/start-local.ts). Returns the
 * pipeline's driver and how to close everything.
 */
import { lookup } from 'node:dns/promises';
import { CellsearchError } from '../../shared/errors.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { prepareStrategy } from '../strategies/strategy.ts';
import { createRunStore, openRunStore, type RunStore } from '../store/index.ts';
import {
  createTrainerClient,
  type TrainerClient,
  type TrainerClientOptions,
} from '../trainer-client/index.ts';
import { preflightDataset, type DatasetPreflight } from './dataset-preflight.ts';
import { restoreStrategy } from './restore-strategy.ts';
import type { SearchDriver } from './run-search.ts';
import {
  encodeSearchSettings,
  parseSearchSettings,
  type SearchSettings,
} from '../../shared/search-settings.ts';

export type { SearchSettings } from '../../shared/search-settings.ts';
export { ResumeMismatchError } from './restore-strategy.ts';
import { TrainerPool } from './trainer-pool.ts';

/** Where the trainers come from. */
export interface TrainerSource {
  /** host:port list (at least one). */
  readonly addresses: readonly string[];
  readonly token?: string;
  /** Makes the client of one trainer (default: a gRPC client); benchmarks wrap it to trace calls. */
  readonly connect?: (options: TrainerClientOptions) => TrainerClient;
  /** Cancels the start-up's slow calls (the dataset check) when aborted: a Ctrl-C while starting. */
  readonly abort?: AbortSignal;
}

/** A ready search. */
export interface SearchSession {
  readonly driver: SearchDriver;
  readonly settings: SearchSettings;
  readonly trainers: readonly string[];
  /** What the trainer asked before the first trial said about the dataset, or why none was asked. */
  readonly dataset: DatasetPreflight;
  close(): Promise<void>;
}

/**
 * Opens a new run in `dir` (which must not hold one) or resumes the run in `dir`. One trainer is
 * asked first whether it can read the dataset (see dataset-preflight.ts); for a new run that is
 * before the run store exists, so a refused search leaves no run behind.
 */
export async function openSearch(
  dir: string,
  mode:
    | { readonly resume: false; readonly settings: SearchSettings; readonly space: SearchSpace }
    | { readonly resume: true },
  source: TrainerSource,
): Promise<SearchSession> {
  if (mode.resume) {
    // One transaction per event-loop turn: results that arrive together share a commit.
    const store = openRunStore(dir, { commit: 'turn' });
    try {
      const settings = parseSearchSettings(store.config().settings, dir);
      return await sessionOver(store, settings, () => connectChecked(settings, source));
    } catch (err) {
      // Nothing is left open when the run cannot start (bad stored settings, no trainer, ...).
      store.close();
      throw err;
    }
  }
  const { settings, space } = mode;
  const trainers = await connectChecked(settings, source);
  let store: RunStore | null = null;
  try {
    store = createRunStore(
      dir,
      {
        strategy: settings.strategy.name,
        seed: settings.strategy.seed,
        space,
        settings: encodeSearchSettings(settings),
      },
      { commit: 'turn' },
    );
    return await sessionOver(store, settings, () => Promise.resolve(trainers));
  } catch (err) {
    store?.close();
    trainers.pool.close();
    throw err;
  }
}

/** The trainers of a search, connected, with what the pre-flight dataset check found. */
interface CheckedTrainers {
  readonly pool: TrainerPool;
  readonly dataset: DatasetPreflight;
}

/** The session over an open store: strategy, then trainers; throws without closing the store. */
async function sessionOver(
  store: RunStore,
  settings: SearchSettings,
  connect: () => Promise<CheckedTrainers>,
): Promise<SearchSession> {
  const space = store.config().space;
  await prepareStrategy(settings.strategy);
  const strategy = restoreStrategy(settings.strategy, space, store);
  const { pool, dataset: preflight } = await connect();
  // The settings were parsed (a bad dataset spec refused) before any trial.
  const { dataset } = settings;
  const request = (genotype: Genotype): ReturnType<SearchDriver['request']> => ({
    genotype,
    network: settings.network,
    training: settings.training,
    dataset,
  });
  const { maxTrials, maxAttempts, rewardEpochs, reuseDuplicates, snapshotEvery } = settings;
  const driver: SearchDriver = {
    strategy,
    store,
    pool,
    request,
    maxTrials,
    maxAttempts,
    rewardEpochs,
    reuseDuplicates,
    snapshotEvery,
    medianStop: settings.medianStop,
  };
  return {
    driver,
    settings,
    trainers: pool.addresses(),
    dataset: preflight,
    close: () => {
      pool.close();
      store.close();
      return Promise.resolve();
    },
  };
}

/** Connects to every trainer and asks the first whether it can read the dataset. */
async function connectChecked(
  settings: SearchSettings,
  source: TrainerSource,
): Promise<CheckedTrainers> {
  if (source.addresses.length === 0)
    throw new CellsearchError('INVALID_ARGUMENT', 'a search needs at least one trainer');
  return connectPool(await expandAddresses(source.addresses), source, settings);
}

/** host:port entries, each host resolved to all its addresses (a headless service lists every pod). */
export async function expandAddresses(entries: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const entry of entries) {
    const match = /^(.*):(\d+)$/.exec(entry.trim());
    if (match === null || match[1] === undefined || match[2] === undefined)
      throw new CellsearchError('INVALID_ARGUMENT', `trainer "${entry}" is not host:port`);
    const host = match[1].replace(/^\[(.*)\]$/, '$1');
    const found = await lookup(host, { all: true }).catch(() => {
      throw new CellsearchError('INVALID_ARGUMENT', `trainer host "${host}" does not resolve`);
    });
    for (const a of found)
      out.add(a.family === 6 ? `[${a.address}]:${match[2]}` : `${a.address}:${match[2]}`);
  }
  return [...out];
}

/**
 * Connects to every trainer and asks its capacity, then asks the first to read the dataset;
 * unreachable ones fail the start with their address, an unreadable dataset with DatasetCheckError.
 */
async function connectPool(
  addresses: readonly string[],
  source: TrainerSource,
  settings: SearchSettings,
): Promise<CheckedTrainers> {
  const { token, connect = createTrainerClient } = source;
  const clients = addresses.map((address) =>
    connect({ address, ...(token === undefined ? {} : { token }) }),
  );
  try {
    const infos = await Promise.all(clients.map((c) => c.info()));
    const [first, firstInfo] = [clients[0], infos[0]];
    const dataset =
      first === undefined || firstInfo === undefined
        ? { skipped: 'no trainer to check --dataset on' }
        : await preflightDataset(first, firstInfo, settings, source.abort);
    const pool = new TrainerPool(
      clients.map((client, i) => ({
        client,
        capacity: infos[i]?.capacity ?? 1,
        maxMemoryBytes: infos[i]?.maxMemoryBytes ?? null,
      })),
    );
    return { pool, dataset };
  } catch (err) {
    for (const c of clients) c.close();
    throw err;
  }
}
