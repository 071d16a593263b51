/**
 * Sets a search up: a new run directory or a resumed one, the strategy (restored from its latest
 * snapshot and the journal after it), and the trainer pool with its fleet (controller/fleet/: the
 * targets resolved again and again, trainers joining as they answer; `nas-ctl search` starts local
 * ones itself, see controller/cli/start-local.ts). Returns the
 * pipeline's driver and how to close everything.
 */
import { isIP } from 'node:net';
import { CellsearchError } from '../../shared/errors.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { prepareStrategy } from '../strategies/strategy.ts';
import { createRunStore, openRunStore, type RunStore } from '../store/index.ts';
import {
  createTrainerClient,
  type ClientTls,
  type TrainerClient,
  type TrainerClientOptions,
} from '../trainer-client/index.ts';
import { Fleet, type FleetEvent } from '../fleet/fleet.ts';
import type { ResolveTargets } from '../fleet/resolve-targets.ts';
import type { TrainerTarget } from '../fleet/trainer-target.ts';
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

/** Where the trainers come from, and how the fleet of them is kept. */
export interface TrainerSource {
  /** What to resolve into trainer addresses, again every `discoveryIntervalMs` (at least one). */
  readonly targets: readonly TrainerTarget[];
  readonly token?: string;
  /** TLS to the trainers (plaintext when absent). */
  readonly tls?: ClientTls;
  /** Makes the client of one trainer (default: a gRPC client); benchmarks wrap it to trace calls. */
  readonly connect?: (options: TrainerClientOptions) => TrainerClient;
  /** Cancels the start-up's slow calls (the dataset check) when aborted: a Ctrl-C while starting. */
  readonly abort?: AbortSignal;
  /** How long the start waits for a first trainer to answer (default {@link DEFAULT_TRAINER_WAIT_MS}). */
  readonly waitMs?: number;
  /** Resolve the targets again this often (default {@link DEFAULT_DISCOVERY_INTERVAL_MS}). */
  readonly discoveryIntervalMs?: number;
  /** Told each change of the fleet, from the first resolution on (trainers joined, unreachable, left). */
  readonly onFleetEvent?: (event: FleetEvent) => void;
  /** Resolves the targets (default: DNS and the system resolver); tests pass their own. */
  readonly resolve?: ResolveTargets;
}

/** `--trainer-wait`'s default: a fleet with no trainer answering after a minute is an error. */
export const DEFAULT_TRAINER_WAIT_MS = 60_000;
/** `--discovery-interval`'s default. */
export const DEFAULT_DISCOVERY_INTERVAL_MS = 10_000;

/** A ready search. */
export interface SearchSession {
  readonly driver: SearchDriver;
  readonly settings: SearchSettings;
  /** The trainers in the pool when the search started (more join as they answer). */
  readonly trainers: readonly string[];
  /** The fleet: discovery and membership of the trainers while the search runs. */
  readonly fleet: Fleet;
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
    // The run's lease, held until close: a second search on this run is refused (RunHeldError).
    const store = openRunStore(dir, { commit: 'turn', lease: true });
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
      { commit: 'turn', lease: true },
    );
    return await sessionOver(store, settings, () => Promise.resolve(trainers));
  } catch (err) {
    store?.close();
    trainers.fleet.stop();
    trainers.pool.close();
    throw err;
  }
}

/** The trainers of a search, connected, with what the pre-flight dataset check found. */
interface CheckedTrainers {
  readonly pool: TrainerPool;
  readonly fleet: Fleet;
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
  const { pool, fleet, dataset: preflight } = await connect();
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
    fleet,
    dataset: preflight,
    close: () => {
      fleet.stop();
      pool.close();
      store.close();
      return Promise.resolve();
    },
  };
}

/**
 * Starts the fleet and waits for a first trainer (the others join as they answer), then asks that
 * one to read the dataset. No trainer within the wait: NoTrainerError; an unreadable dataset:
 * DatasetCheckError. Either way nothing is left open.
 */
async function connectChecked(
  settings: SearchSettings,
  source: TrainerSource,
): Promise<CheckedTrainers> {
  if (source.targets.length === 0)
    throw new CellsearchError('INVALID_ARGUMENT', 'a search needs at least one trainer');
  const { token, tls, connect = createTrainerClient } = source;
  const pool = new TrainerPool([]);
  const fleet = new Fleet({
    targets: source.targets,
    pool,
    // A certificate names the trainer, not the address it resolved to: checked against the name.
    connect: (address, name) =>
      connect({
        address,
        ...(token === undefined ? {} : { token }),
        ...(tls === undefined
          ? {}
          : { tls: isIP(name) === 0 ? { serverName: name, ...tls } : tls }),
      }),
    intervalMs: source.discoveryIntervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS,
    ...(source.resolve === undefined ? {} : { resolve: source.resolve }),
  });
  const events =
    source.onFleetEvent === undefined ? null : fleet.events$.subscribe(source.onFleetEvent);
  try {
    await fleet.start();
    const first = await fleet.ready(source.waitMs ?? DEFAULT_TRAINER_WAIT_MS, source.abort);
    const dataset = await preflightDataset(first.client, first.info, settings, source.abort);
    return { pool, fleet, dataset };
  } catch (err) {
    events?.unsubscribe();
    fleet.stop();
    pool.close();
    throw err;
  }
}
