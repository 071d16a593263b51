/**
 * Runs bench/pytorch_reference.py on a plan export (./network-plan-json.ts): PyTorch's CPU build
 * training the same network, as the yardstick for bench:train. Python is `$PYTHON` or `python3`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanExport } from './network-plan-json.ts';

const SCRIPT = fileURLToPath(new URL('./pytorch_reference.py', import.meta.url));
/** The script's exit status when `import torch` fails. */
const NO_TORCH = 4;

/** The JSON line the script prints. */
export interface PytorchReport {
  readonly imagesPerSecond: number;
  readonly threads: number;
  /** Trainable parameters of the PyTorch network; the script has checked it equals the plan's. */
  readonly params: number;
  /** torch.__version__, e.g. `2.13.0+cpu`. */
  readonly torch: string;
  readonly steps: number;
}

/** The report, or why there is none: no Python or torch here, or the script failed. */
export type PytorchOutcome =
  | { readonly kind: 'ran'; readonly report: PytorchReport }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'failed'; readonly message: string };

/** How long and on how many threads the reference trains. */
export interface PytorchRun {
  readonly steps: number;
  readonly warmup: number;
  readonly threads: number;
}

/** Trains `exported` with PyTorch in a child process and returns what it measured. */
export async function runPytorchReference(
  exported: PlanExport,
  run: PytorchRun,
): Promise<PytorchOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'cellsearch-bench-'));
  try {
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify(exported));
    const args = [SCRIPT, '--plan', plan, '--steps', String(run.steps)];
    args.push('--warmup', String(run.warmup), '--threads', String(run.threads));
    const { code, stdout, stderr, spawnError } = await runProcess(
      process.env['PYTHON'] ?? 'python3',
      args,
    );
    if (spawnError !== undefined) return { kind: 'unavailable', reason: spawnError };
    if (code === NO_TORCH) return { kind: 'unavailable', reason: 'torch is not installed' };
    const report = code === 0 ? parseReport(stdout.trim().split('\n').pop() ?? '') : undefined;
    if (report === undefined) {
      return { kind: 'failed', message: `exit status ${String(code)}: ${stderr.trim()}` };
    }
    if (report.params !== exported.complexity.params) {
      const plan = exported.complexity.params;
      return { kind: 'failed', message: `${report.params} parameters; the plan has ${plan}` };
    }
    return { kind: 'ran', report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started (e.g. no python3 on PATH). */
  readonly spawnError?: string;
}

function runProcess(command: string, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => resolve({ code: null, stdout, stderr, spawnError: err.message }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The script's JSON line, or undefined when it is not one. */
function parseReport(line: string): PytorchReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (name: string): unknown => Reflect.get(value, name);
  const [rate, threads, params, torch, steps] = [
    field('imagesPerSecond'),
    field('threads'),
    field('params'),
    field('torch'),
    field('steps'),
  ];
  if (
    typeof rate !== 'number' ||
    typeof threads !== 'number' ||
    typeof params !== 'number' ||
    typeof torch !== 'string' ||
    typeof steps !== 'number'
  ) {
    return undefined;
  }
  return { imagesPerSecond: rate, threads, params, torch, steps };
}
