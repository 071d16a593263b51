/**
 * Trainers nas-ctl starts itself when no `--trainers` are named: one `nas-trainer serve` per GPU
 * (counted with nvidia-smi), else one per CPU core, each on a free loopback port; stopped on exit.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CellsearchError } from '../../shared/errors.ts';

const TRAINER_BIN = fileURLToPath(new URL('../../bin/nas-trainer.js', import.meta.url));
const LISTENING = /listening on (\S+)/;

/** A local trainer that did not come up. */
export class LocalTrainerError extends CellsearchError {
  constructor(message: string) {
    super('LOCAL_TRAINER_FAILED', message);
  }
}

/** Trainers started by this process. */
export interface LocalTrainers {
  readonly addresses: readonly string[];
  /** Stops them all (SIGTERM) and waits for them to exit. */
  stop(): Promise<void>;
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
export async function startLocalTrainers(backend: string, count?: number): Promise<LocalTrainers> {
  const gpus = countGpus();
  const n = count ?? (gpus > 0 ? gpus : availableParallelism());
  const threadsEach = Math.max(1, Math.floor(availableParallelism() / n));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const addresses = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        // Each trainer owns an equal share of the cores for its native thread pool (on a GPU
        // machine, for the ops TensorFlow keeps on the CPU).
        const threads = ['--threads', String(threadsEach)];
        const gpu = gpus > 0 ? ['--gpu', String(i), ...threads] : threads;
        const child = spawn(
          process.execPath,
          [
            TRAINER_BIN,
            'serve',
            '--port',
            '0',
            '--backend',
            backend,
            '--log-level',
            'warn',
            ...gpu,
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        children.push(child);
        return addressOf(child, i);
      }),
    );
    return { addresses, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function addressOf(child: ChildProcess, index: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (child.stdout === null)
      return reject(new LocalTrainerError(`local trainer ${index} has no stdout`));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(
        new LocalTrainerError(`local trainer ${index} exited (code ${code}) before listening`),
      ),
    );
  });
}
