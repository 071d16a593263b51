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
import { trialStatus } from './trial-status.ts';
import { runTrial } from '../train/run-trial.ts';
import type { TrialContext } from '../train/trial.ts';
import type { BackendInfo } from '../tf.ts';
import { parseToRunner, RunnerMessageError } from './runner-message-check.ts';
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
  let config: RunnerConfig;
  try {
    config = await nextConfig();
  } catch (err) {
    post({ type: 'start-failed', failure: remoteFailure(err) });
    process.disconnect();
    return;
  }
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
  process.on('message', (raw: unknown) => {
    const message = checkedMessage(raw, post, logger);
    if (message?.type === 'cancel') for (const trial of running) trial.abort(message.reason);
    if (message?.type !== 'run') return;
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

/** The first message: how to start; throws when the server sent something else. */
async function nextConfig(): Promise<RunnerConfig> {
  const raw = await new Promise<unknown>((resolve) => process.once('message', resolve));
  const message = parseToRunner(raw);
  if (message.type !== 'configure')
    throw new RunnerMessageError('the trainer server', `${message.type} before configure`);
  return message.config;
}

/**
 * The server's message `raw`, checked; null (logged) when it is malformed. A malformed `run` is
 * refused with its status, since the server waits for an answer to it.
 */
function checkedMessage(
  raw: unknown,
  post: (message: FromRunner) => void,
  logger: Logger,
): ToRunner | null {
  try {
    return parseToRunner(raw);
  } catch (err) {
    const { code, details, internal } = trialStatus(err);
    if (internal) logger.error({ err }, 'a malformed message from the trainer server');
    const isRun = typeof raw === 'object' && raw !== null && 'type' in raw && raw.type === 'run';
    if (isRun) post({ type: 'refused', status: { code, details }, healthy: true });
    return null;
  }
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
    const status = trialStatus(err);
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
