/**
 * One short `nas-ctl` command run to its end (doctor, status, best, export, a second search), with
 * all it printed and how long it took; and the checks every such output must pass.
 */
import type { ProcessRegistry } from './processes.ts';
import { CTL_BIN } from './search-job.ts';

/** How a command ended. */
export interface CtlRun {
  /** The exit code; null when a signal ended it or it was still running at the timeout (killed). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from the start to the end (or to the timeout). */
  readonly ms: number;
  readonly timedOut: boolean;
}

/** Runs `nas-ctl ...args`; kills it after `timeoutMs`. */
export async function runCtl(
  registry: ProcessRegistry,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CtlRun> {
  const started = Date.now();
  const { child, pid } = registry.spawnNode(CTL_BIN, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let timer: NodeJS.Timeout | undefined;
  const code = await new Promise<number | null | 'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    child.once('close', resolve);
  });
  clearTimeout(timer);
  registry.killGroup(pid);
  const timedOut = code === 'timeout';
  return {
    code: timedOut ? null : code,
    stdout,
    stderr,
    ms: Date.now() - started,
    timedOut,
  };
}

/** One line saying how a command ended: `exit 1: <its last stderr line>`. */
export function describeRun(run: CtlRun): string {
  const last = run.stderr.trim().split('\n').at(-1) ?? '';
  const how = run.timedOut
    ? `still running after ${(run.ms / 1000).toFixed(0)} s`
    : `exit ${run.code ?? 'by signal'}`;
  return last === '' ? how : `${how}: ${last.slice(0, 200)}`;
}

/** The lines of `text` that belong to a stack trace (`    at f (file:1:2)`). */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at \S/.test(line));
}

/** Which of `controls` occur raw in `text`, each once. */
export function rawControls(text: string, controls: readonly string[]): string[] {
  return controls.filter((c) => text.includes(c));
}

/** A control character as its escape (`\x1b`, `\u202e`), for a note. */
export function controlName(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}
