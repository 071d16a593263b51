/**
 * Trainers nas-ctl starts itself when no `--trainers` are named: one `nas-trainer serve` per GPU
 * (counted with nvidia-smi), else one per CPU core, each on a free loopback port; stopped on exit.
 * The token reaches them in their environment, never on their command line (which `ps` shows), and
 * an abort while they start stops the ones already started. Their logs go to files (trainer-1.log,
 * ...), never to the terminal; one that dies is reported with its log file and last message.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { CellsearchError } from '../../shared/errors.ts';
import { packagePath } from '../../runtime/package-path.ts';
import { TOKEN_ENV } from '../../runtime/trainer-token.ts';
import { lastLogMessage, openTrainerLog, trainerLogFile } from './trainer-log.ts';

/** The nas-trainer executable script of this installation: every trainer process nas-ctl starts runs it. */
export const TRAINER_BIN = packagePath('bin', 'nas-trainer.js');
const LISTENING = /listening on (\S+)/;
/** How long a trainer has to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

/** A local trainer that did not come up. */
export class LocalTrainerError extends CellsearchError {
  constructor(message: string) {
    super('LOCAL_TRAINER_FAILED', message);
  }
}

/** Trainers started by this process. */
export interface LocalTrainers {
  readonly addresses: readonly string[];
  /** Stops them all (SIGTERM, SIGKILL after a grace period) and waits for them to exit. */
  stop(): Promise<void>;
}

/** A local trainer that ended while nobody stopped it. */
export interface TrainerExit {
  /** 1, 2, ...: the number in its log file's name. */
  readonly n: number;
  readonly address: string;
  /** `exit code 1`, `signal SIGKILL`. */
  readonly why: string;
  readonly log: string;
  /** The last message of its log, or null. */
  readonly lastMessage: string | null;
}

/** How to start local trainers besides their backend and count. */
export interface LocalTrainerOptions {
  /** The folder of their log files, `trainer-<n>.log` (appended to). */
  readonly logDir: string;
  /** Called when a trainer that had started ends before {@link LocalTrainers.stop}. */
  readonly onExit?: (exit: TrainerExit) => void;
  /** The trainers' bearer token, passed as $NAS_TRAINER_TOKEN in their environment. */
  readonly token?: string;
  /** Aborting it while they start stops the ones started and rejects with {@link LocalTrainerError}. */
  readonly signal?: AbortSignal;
}

/** GPUs nvidia-smi lists here (0 when there is none or no driver). */
export function countGpus(): number {
  try {
    return execFileSync('nvidia-smi', ['-L'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter((l) => l.startsWith('GPU ')).length;
  } catch {
    return 0;
  }
}

/** Starts `count` trainers (default: one per GPU, else one per core) with the given backend. */
export async function startLocalTrainers(
  backend: string,
  count: number | undefined,
  options: LocalTrainerOptions,
): Promise<LocalTrainers> {
  const { signal } = options;
  if (signal?.aborted === true) throw abortError();
  const gpus = countGpus();
  const n = count ?? (gpus > 0 ? gpus : availableParallelism());
  // Each trainer owns an equal share of the cores for its native thread pool (on a GPU machine,
  // for the ops TensorFlow keeps on the CPU).
  const threads = ['--threads', String(Math.max(1, Math.floor(availableParallelism() / n)))];
  const env =
    options.token === undefined ? process.env : { ...process.env, [TOKEN_ENV]: options.token };
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = (): Promise<void> => {
    stopping = true;
    return stopAll(children);
  };
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const started = Array.from({ length: n }, async (_, i) => {
      const args = [TRAINER_BIN, 'serve', '--port', '0', '--backend', backend];
      const gpu = gpus > 0 ? ['--gpu', String(i)] : [];
      const log = trainerLogFile(options.logDir, i + 1);
      const fd = openTrainerLog(log, options.logDir);
      let child: ChildProcess;
      try {
        child = spawn(process.execPath, [...args, '--log-level', 'warn', ...gpu, ...threads], {
          stdio: ['ignore', 'pipe', fd],
          env,
        });
      } finally {
        closeSync(fd); // the child has its own copy
      }
      children.push(child);
      const address = await addressOf(child, i + 1, log);
      child.once('exit', (code, signal) => {
        if (stopping) return;
        const why = signal === null ? `exit code ${code ?? 'unknown'}` : `signal ${signal}`;
        options.onExit?.({ n: i + 1, address, why, log, lastMessage: lastLogMessage(log) });
      });
      return address;
    });
    const all = Promise.all(started);
    // Whichever loses the race may reject later (trainers killed by the stop): nobody waits for it.
    all.catch(() => undefined);
    aborted.catch(() => undefined);
    const addresses = await Promise.race([all, aborted]);
    return { addresses, stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function abortError(): LocalTrainerError {
  return new LocalTrainerError('stopped while the local trainers were starting');
}

/** SIGTERM to each child still running, SIGKILL to those left after the grace period; resolves once all exited. */
function stopAll(children: readonly ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return resolve();
          const kill = setTimeout(() => c.kill('SIGKILL'), STOP_GRACE_MS);
          c.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

/** The address trainer `n` prints once it listens; rejects, naming its log, when it ends first. */
function addressOf(child: ChildProcess, n: number, log: string): Promise<string> {
  return new Promise((resolve, reject) => {
    child.once('error', (err) =>
      reject(new LocalTrainerError(`local trainer ${n} did not start: ${err.message}`)),
    );
    if (child.stdout === null)
      return reject(new LocalTrainerError(`local trainer ${n} has no stdout`));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code, signal) => {
      const last = lastLogMessage(log);
      const said = last === null ? '' : `: ${last}`;
      reject(
        new LocalTrainerError(
          `local trainer ${n} exited (${signal ?? `code ${code}`}) before listening${said}; its log: ${log}`,
        ),
      );
    });
  });
}
