/**
 * Runs a trainer server until SIGTERM or SIGINT: starts one trial process per slot of its capacity
 * (each loads the backend, on the chosen GPU), serves, prints the bound address on stdout (the one
 * line tools wait for), logs to stderr with pino, and on a signal stops taking calls, cancels and
 * reports the running trials, stops the trial processes, and returns.
 */
import { setLogger } from '@grpc/grpc-js';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { pino, type Logger } from 'pino';
import { InvalidValueError } from '../../shared/errors.ts';
import { defaultMemoryLimit } from '../../shared/memory-limit.ts';
import {
  startTrainerMetrics,
  type TrainerMetricsEndpoint,
} from '../metrics/trainer-metrics-endpoint.ts';
import { TrialProcessPool } from '../runner/trial-process-pool.ts';
import type { BackendInfo } from '../tf.ts';
import type { ServeConfig } from './serve-config.ts';
import { startTrainerServer } from './trainer-server.ts';
import { createTrialService } from './trial-service.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/;

/** Serves until a signal; resolves after a graceful shutdown. */
export async function serve(config: ServeConfig): Promise<void> {
  const logger = pino(
    { name: 'nas-trainer', level: config.logLevel },
    pino.destination({ dest: 2, sync: true }),
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
  const service = createTrialService({
    runner: metrics.observe(pool.run),
    readiness: pool,
    capacity: config.capacity,
    backend,
    maxMemoryBytes: config.maxMemoryBytes ?? defaultMemoryLimit(backend.backend, config.capacity),
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
  const signal = await nextSignal();
  logger.info({ signal }, 'shutting down: no new trials; cancelling the running ones');
  pool.retire();
  await server.shutdown(`the trainer is shutting down (${signal})`);
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

/** Resolves with the first SIGTERM or SIGINT; a second one exits at once. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolveSignal(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
