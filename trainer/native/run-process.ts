/** Runs one child process of the install (pip, npm, node-gyp, node) and collects its output. */
import { spawn } from 'node:child_process';

/** How a child process ended: exit code (or -1 when killed by a signal) and its output. */
export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how to run a child process. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill it after this long (SIGKILL); default no limit. */
  readonly timeoutMs?: number;
}

/** Output kept per stream: enough for the last lines of a compiler error. */
const KEEP_CHARS = 64 * 1024;

/**
 * Runs `file args` and resolves with its exit code and output, whatever the code; rejects only when
 * it cannot start (the spawn error, e.g. ENOENT), so callers can name the missing program.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-KEEP_CHARS);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-KEEP_CHARS);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The last `n` non-empty lines of `text`, joined with ` | ` for a one-line error message. */
export function lastLines(text: string, n: number): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length === 0 ? '(no output)' : lines.slice(-n).join(' | ');
}
