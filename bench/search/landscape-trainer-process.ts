/**
 * Starts the landscape trainer (test/fixtures/landscape-trainer-main.ts) as a child process and
 * reads the port it prints, so each benchmark search talks nas.v1 to a real trainer process.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LandscapeName } from './landscapes.ts';

const MAIN = fileURLToPath(
  new URL('../../test/fixtures/landscape-trainer-main.ts', import.meta.url),
);
/** How long a trainer may take to print its port (tsx compiles on a loaded machine). */
const START_MS = 60_000;

/** A running landscape trainer: its address, and how to stop it. */
export interface LandscapeTrainerProcess {
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * Starts a trainer answering with `landscape` of `seed` in the space named `space`, running up to
 * `capacity` trials at once.
 */
export function startLandscapeTrainerProcess(
  landscape: LandscapeName,
  seed: number,
  space: string,
  capacity: number,
): Promise<LandscapeTrainerProcess> {
  const args = ['--import', 'tsx', MAIN, '--landscape', landscape, '--seed', String(seed)];
  const child = spawn(
    process.execPath,
    [...args, '--space', space, '--capacity', String(capacity)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the landscape trainer printed no port within ${START_MS / 1000} s`));
    }, START_MS);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ address: `127.0.0.1:${line.trim()}`, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the landscape trainer exited (${String(code)}): ${stderr.trim()}`));
    });
  });
}
