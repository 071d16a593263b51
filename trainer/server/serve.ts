/**
 * Runs a trainer server until SIGTERM or SIGINT: starts one trial process per slot of its capacity
 * (each loads the backend, on the chosen GPU), serves, prints the bound address on stdout (the one
 * line tools wait for), logs to stderr with pino, and on a signal stops taking calls, cancels the
 * dataset reads of CheckDataset at once, cancels and reports the running trials, stops the trial
 * processes, and returns: the process exits 0. The process ends within {@link SHUTDOWN_BOUND_MS} of
 * the first signal whatever it was reading: its reads never block (trainer/data/bounded-file.ts),
 * and if anything is still pending then (a read stuck in the kernel on a dead network file system),
 * it kills itself. A second signal ends it at once the same way: it kills its trial processes and
 * itself with SIGKILL (no `cancelled` results are sent; a shell reports status 137).
 */
import { setLogger } from '@grpc/grpc-js';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { pino, type Logger } from 'pino';
import { logDestination } from './log-destination.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { defaultMemoryLimit } from '../../runtime/memory-limit.ts';
import {
  startTrainerMetrics,
  type TrainerMetricsEndpoint,
} from '../metrics/trainer-metrics-endpoint.ts';
import { TrialProcessPool } from '../runner/trial-process-pool.ts';
import type { BackendInfo } from '../tf.ts';
import { DEFAULT_TRAINER_LIMIT, TRAINER_LIMIT } from './admission.ts';
import type { ServeConfig } from './serve-config.ts';
import { createTrainerDatasetReader } from './trainer-dataset-reader.ts';
import { startTrainerServer } from './trainer-server.ts';
import { createTrialService } from './trial-service.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/;

/**
 * Longest time from the first SIGTERM or SIGINT to the end of the process: the running trials get
 * the server's 10 s grace to report (trainer-server.ts), their processes are stopped, and 5 s more
 * cover the rest. Past it the process kills itself (SIGKILL): a thread blocked in the kernel keeps
 * even `process.exit` waiting, and a supervisor's kill would come anyway. A second SIGTERM or
 * SIGINT takes the same path at once.
 */
export const SHUTDOWN_BOUND_MS = 15_000;

/** Serves until a signal; resolves after a graceful shutdown. */
export async function serve(config: ServeConfig): Promise<void> {
  const logger = pino(
    { name: 'nas-trainer', level: config.logLevel },
    // A log the disk cannot take (full) drops lines instead of ending the trainer.
    logDestination(),
  );
  // grpc-js writes its own diagnostics to stderr; send them through the server log instead.
  setLogger({ error: (...args: unknown[]) => logger.warn({ source: 'grpc-js' }, format(...args)) });
  const dataRoot = config.dataRoot === undefined ? undefined : await checkDataRoot(config.dataRoot);
  // tfjs-node-gpu reads CUDA_VISIBLE_DEVICES when it loads, which setupBackend does next.
  if (config.gpu !== undefined) process.env.CUDA_VISIBLE_DEVICES = String(config.gpu);
  const pool = new TrialProcessPool({
    size: config.capacity,
    config: {
      backend: config.backend,
      logLevel: config.logLevel,
      ...threadsPerProcess(config),
    },
    logger,
  });
  // Listening before the trial processes start: a port in use fails at once, and a scrape can
  // watch the trainer become ready.
  const metrics = await startTrainerMetrics(config.metrics, {
    capacity: config.capacity,
    ready: () => pool.ready(),
    trialProcessIds: () => pool.pids(),
  });
  if (metrics.url !== null) process.stdout.write(`nas-trainer metrics on ${metrics.url}\n`);
  try {
    const backend = await pool.start();
    try {
      await serveUntilSignal(config, { pool, backend, logger, dataRoot, metrics });
    } finally {
      pool.close();
    }
  } finally {
    await metrics.close();
  }
  logger.info('stopped');
}

/** What {@link serveUntilSignal} serves with. */
interface Serving {
  readonly pool: TrialProcessPool;
  readonly backend: BackendInfo;
  readonly logger: Logger;
  readonly dataRoot: string | undefined;
  readonly metrics: TrainerMetricsEndpoint;
}

async function serveUntilSignal(config: ServeConfig, serving: Serving): Promise<void> {
  const { pool, backend, logger, dataRoot, metrics } = serving;
  const reads = new AbortController();
  const service = createTrialService({
    runner: metrics.observe(pool.run),
    readiness: pool,
    capacity: config.capacity,
    backend,
    ...memoryLimit(config, backend.backend),
    readDataset: datasetReader(config, backend.backend, dataRoot, reads.signal),
    ...(dataRoot === undefined ? {} : { dataRoot }),
  });
  const { interceptors } = metrics;
  const server = await startTrainerServer({ ...config, service, logger, interceptors });
  process.stdout.write(`nas-trainer listening on ${server.address}\n`);
  logger.info(startupSummary(config, server.address, backend.device), 'serving');
  warnIfExposed(config, logger);
  if (config.gpu !== undefined && backend.loaded !== 'node-gpu') {
    logger.warn(
      { backend: backend.loaded },
      '--gpu applies to the node-gpu backend only; this backend ignores it',
    );
  }
  const signal = await nextSignal((again) =>
    killNow(logger, pool, `a second ${again} during the shutdown`),
  );
  boundShutdown(logger, pool);
  logger.info({ signal }, 'shutting down: no new trials; cancelling the running ones');
  reads.abort();
  pool.retire();
  await server.shutdown(`the trainer is shutting down (${signal})`);
}

/** The trial memory limit: `--max-memory`, else the backend's default, and how refusals name it. */
function memoryLimit(
  config: ServeConfig,
  backend: string,
): { maxMemoryBytes: number; maxMemorySource: string } {
  if (config.maxMemoryBytes !== undefined)
    return { maxMemoryBytes: config.maxMemoryBytes, maxMemorySource: TRAINER_LIMIT };
  return {
    maxMemoryBytes: defaultMemoryLimit(backend, config.capacity),
    maxMemorySource: DEFAULT_TRAINER_LIMIT,
  };
}

/**
 * CheckDataset's reader: files under the data root only, one dataset at a time within the trial
 * memory limit, cancelled by `signal` (at shutdown).
 */
function datasetReader(
  config: ServeConfig,
  backend: string,
  dataRoot: string | undefined,
  signal: AbortSignal,
): ReturnType<typeof createTrainerDatasetReader> {
  const { maxMemoryBytes, maxMemorySource } = memoryLimit(config, backend);
  return createTrainerDatasetReader({
    maxMemoryBytes,
    limitName: maxMemorySource,
    signal,
    ...(dataRoot === undefined ? {} : { root: dataRoot }),
  });
}

/**
 * Intra-op threads of each trial process: `--threads`, else the cores shared out among the
 * processes (one trial each), so that trials running at once do not oversubscribe the cores.
 */
function threadsPerProcess(config: ServeConfig): { threads?: number } {
  if (config.threads !== undefined) return { threads: config.threads };
  if (config.capacity === 1) return {};
  return { threads: Math.max(1, Math.floor(availableParallelism() / config.capacity)) };
}

function startupSummary(config: ServeConfig, address: string, device: string): object {
  return {
    address,
    backend: config.backend,
    device,
    capacity: config.capacity,
    tls: config.tls === undefined ? 'off' : config.tls.ca === undefined ? 'tls' : 'mutual tls',
    token: config.token === undefined ? 'off' : 'on',
    dataRoot: config.dataRoot ?? null,
  };
}

function warnIfExposed(config: ServeConfig, logger: Logger): void {
  if (LOOPBACK.test(config.host)) return;
  if (config.tls === undefined)
    logger.warn('listening beyond loopback without TLS: traffic and tokens travel in the clear');
  if (config.token === undefined && config.tls?.ca === undefined) {
    logger.warn(
      'listening beyond loopback without a token or client certificates: anyone who reaches the port can train',
    );
  }
  if (config.dataRoot === undefined)
    logger.warn(
      'listening beyond loopback without --data-root: callers may name any folder as a dataset',
    );
}

/** The data root as an absolute path; throws InvalidValueError when it is not a folder. */
async function checkDataRoot(dir: string): Promise<string> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new InvalidValueError('serve options', [
      { path: '--data-root', message: `${dir} is not a folder` },
    ]);
  return resolve(dir);
}

/** Kills the process {@link SHUTDOWN_BOUND_MS} from now if it still runs (an unref'd timer). */
function boundShutdown(logger: Logger, pool: TrialProcessPool): void {
  setTimeout(
    () => killNow(logger, pool, `the shutdown did not finish within ${SHUTDOWN_BOUND_MS} ms`),
    SHUTDOWN_BOUND_MS,
  ).unref();
}

/**
 * Ends the process now, for sure: the log is written synchronously (nothing to flush), the trial
 * processes are killed (they would otherwise outlive it until they notice), and the process kills
 * itself with SIGKILL, which no thread blocked in the kernel can delay, unlike `process.exit`.
 */
function killNow(logger: Logger, pool: TrialProcessPool, why: string): void {
  logger.error({ why }, 'killing the process (SIGKILL) without finishing the shutdown');
  pool.close();
  process.kill(process.pid, 'SIGKILL');
}

/**
 * Resolves with the first SIGTERM or SIGINT; a second one calls `again` with its name, which ends
 * the process at once.
 */
function nextSignal(again: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.once('SIGTERM', again);
      process.once('SIGINT', again);
      resolveSignal(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
