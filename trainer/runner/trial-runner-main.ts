/**
 * The trial process: loads the backend once, then runs the trials its trainer server sends, one at a
 * time, and reports their progress and outcome over the IPC channel. It exits when the server goes
 * away. A trial that faults (the backend threw mid-training, a refusal nobody expected) is reported
 * as unhealthy, and the server replaces this process rather than run another trial in it. Each
 * trial's dataset is read within the limits its `run` message carries (the trainer's data root and
 * memory limit), so a link leaving the data root or a dataset over the limit fails the trial as it
 * fails CheckDataset.
 */
import { pino, type Logger } from 'pino';
import { CellsearchError } from '../../shared/errors.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { setupBackend } from '../backend.ts';
import { toStatus } from '../server/to-status.ts';
import { runTrial } from '../train/run-trial.ts';
import type { TrialContext } from '../train/trial.ts';
import type { BackendInfo } from '../tf.ts';
import type { FromRunner, RemoteFailure, RunnerConfig, ToRunner } from './runner-protocol.ts';

/** Runs this process as a trial process until the server disconnects, then exits. */
export async function runTrialProcess(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) {
    throw new CellsearchError(
      'NOT_A_TRIAL_PROCESS',
      'trial-runner is started by `nas-trainer serve`, not by hand',
    );
  }
  const post = (message: FromRunner): void => void send(message);
  // A terminal's Ctrl-C reaches the whole process group: the server decides when trials stop (it
  // cancels them over IPC and kills this process when it must), so the signal is left to it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
  const config = await nextConfig();
  const logger = pino(
    { name: 'nas-trainer-runner', level: config.logLevel },
    pino.destination({ dest: 2, sync: true }),
  );
  let backend: BackendInfo;
  try {
    backend = await setupBackend(config.backend, {
      ...(config.threads === undefined ? {} : { threads: config.threads }),
    });
  } catch (err) {
    post({ type: 'start-failed', failure: remoteFailure(err) });
    process.disconnect();
    return;
  }
  post({ type: 'ready', backend });
  // The trial running now, if any: the server runs one at a time per process.
  const running = new Set<AbortController>();
  process.on('message', (message: ToRunner) => {
    if (message.type === 'cancel') for (const trial of running) trial.abort(message.reason);
    if (message.type !== 'run') return;
    const trial = new AbortController();
    running.add(trial);
    const { request, datasetLimits } = message;
    const context = { backend, signal: trial.signal, datasetLimits: datasetLimits ?? {} };
    void runOne(request, context, post, logger).finally(() => running.delete(trial));
  });
  await new Promise<void>((resolve) => process.once('disconnect', resolve));
  // Nobody is left to report to: whatever runs now is abandoned.
  process.exit(0);
}

/** The first message: how to start. */
function nextConfig(): Promise<RunnerConfig> {
  return new Promise((resolve) => {
    const onMessage = (message: ToRunner): void => {
      if (message.type !== 'configure') return;
      process.off('message', onMessage);
      resolve(message.config);
    };
    process.on('message', onMessage);
  });
}

/** Where a trial runs here: the loaded backend, its cancellation and its dataset's limits. */
type RunnerContext = Required<Pick<TrialContext, 'backend' | 'signal' | 'datasetLimits'>>;

async function runOne(
  request: TrialRequest,
  context: RunnerContext,
  post: (message: FromRunner) => void,
  logger: Logger,
): Promise<void> {
  let healthy = true;
  try {
    const result = await runTrial(request, {
      ...context,
      onPlanned: (size) => post({ type: 'planned', ...size }),
      onStep: (step, totalSteps) => post({ type: 'step', step, totalSteps }),
      onEpoch: (metrics) => post({ type: 'epoch', metrics }),
      onFault: (err) => {
        healthy = false;
        logger.error({ err }, 'the trial faulted; this trial process will be replaced');
      },
    });
    post({ type: 'result', result, healthy });
  } catch (err) {
    const status = toStatus(err);
    if (status.internal) logger.error({ err }, 'the trial failed with an internal error');
    post({
      type: 'refused',
      status: { code: status.code, details: status.details },
      healthy: !status.internal && !isOutOfMemory(status.details),
    });
  }
}

function isOutOfMemory(details: string): boolean {
  return details.startsWith('out of memory');
}

function remoteFailure(err: unknown): RemoteFailure {
  if (err instanceof CellsearchError)
    return { name: err.name, code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { name: 'Error', code: 'INTERNAL', message };
}
