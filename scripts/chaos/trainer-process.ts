/** A real `nas-trainer serve --port 0 --backend wasm` process for the campaign. */
import { createInterface } from 'node:readline';
import type { ProcessRegistry } from './processes.ts';

const TRAINER_BIN = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;
/** Two loaded cores: a wasm trainer can take 15 s or more to load its backend. */
const START_TIMEOUT_MS = 60_000;

/** A started trainer: where it listens and its process group. */
export interface TrainerProcess {
  readonly address: string;
  /** The trainer's pid, also its process group's id. */
  readonly pid: number;
  /** The last lines it logged on stderr. */
  logTail(): string;
}

/** Starts a trainer and resolves once it printed the address it listens on. */
export async function startTrainer(registry: ProcessRegistry): Promise<TrainerProcess> {
  const { child, pid } = registry.spawnNode(TRAINER_BIN, [
    'serve',
    '--port',
    '0',
    '--backend',
    'wasm',
    '--log-level',
    'warn',
  ]);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      registry.killGroup(pid);
      reject(new Error(`trainer ${pid} did not listen within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    if (child.stdout === null) throw new Error('trainer stdout is not piped');
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`trainer exited (${code ?? signal}) before listening: ${log.trim()}`));
    });
  });
  return { address, pid, logTail: () => log };
}
