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
}

/** A ready search. */
export interface SearchSession {
  readonly driver: SearchDriver;
  readonly settings: SearchSettings;
  readonly trainers: readonly string[];
  close(): Promise<void>;
}

/** Opens a new run in `dir` (which must not hold one) or resumes the run in `dir`. */
export async function openSearch(
  dir: string,
  mode:
    | { readonly resume: false; readonly settings: SearchSettings; readonly space: SearchSpace }
    | { readonly resume: true },
  source: TrainerSource,
): Promise<SearchSession> {
  // One transaction per event-loop turn: results that arrive together share a commit.
  const store = mode.resume
    ? openRunStore(dir, { commit: 'turn' })
    : createRunStore(
        dir,
        {
          strategy: mode.settings.strategy.name,
          seed: mode.settings.strategy.seed,
          space: mode.space,
          settings: encodeSearchSettings(mode.settings),
        },
        { commit: 'turn' },
      );
  try {
    return await sessionOver(store, dir, mode.resume ? null : mode.settings, source);
  } catch (err) {
    // Nothing is left open when the run cannot start (bad stored settings, no trainer, ...).
    store.close();
    throw err;
  }
}

/** The session over an open store: settings, strategy, trainers; throws without closing the store. */
async function sessionOver(
  store: RunStore,
  dir: string,
  given: SearchSettings | null,
  source: TrainerSource,
): Promise<SearchSession> {
  const settings = given ?? parseSearchSettings(store.config().settings, dir);
  const space = store.config().space;
  await prepareStrategy(settings.strategy);
  const strategy = restoreStrategy(settings.strategy, space, store);
  if (source.addresses.length === 0)
    throw new CellsearchError('INVALID_ARGUMENT', 'a search needs at least one trainer');
  const pool = await connectPool(await expandAddresses(source.addresses), source);
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
    close: () => {
      pool.close();
      store.close();
      return Promise.resolve();
    },
  };
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

/** Connects to every trainer and asks its capacity; unreachable ones fail the start with their address. */
async function connectPool(
  addresses: readonly string[],
  source: TrainerSource,
): Promise<TrainerPool> {
  const { token, connect = createTrainerClient } = source;
  const clients = addresses.map((address) =>
    connect({ address, ...(token === undefined ? {} : { token }) }),
  );
  try {
    const infos = await Promise.all(clients.map((c) => c.info()));
    return new TrainerPool(
      clients.map((client, i) => ({
        client,
        capacity: infos[i]?.capacity ?? 1,
        maxMemoryBytes: infos[i]?.maxMemoryBytes ?? null,
      })),
    );
  } catch (err) {
    for (const c of clients) c.close();
    throw err;
  }
}
