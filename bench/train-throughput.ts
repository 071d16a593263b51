/**
 * Training throughput of NASNet-A, N = 2, f = 16 (2@384) on 32x32x3 inputs, batch 64, after warm-up:
 * images/s and kernel calls per step on every backend that loads here (one thread each; the cpu
 * backend on one step), then on the fastest one: one trainer process per CPU core training
 * together (`aggregate`) and, on the native backend, one process on every core. PyTorch's CPU
 * build then trains the same network on the whole machine (bench/pytorch_reference.py, fed the
 * network plan as JSON), and the best tfjs figure is given as a ratio of it.
 * Run: npm run bench:train  [-- --steps 10 --profile --backends wasm,cpu --no-pytorch --no-tiny]
 * A worker run (used internally): npx tsx bench/train-throughput.ts --worker <backend> --steps S
 *   [--threads T] [--count-kernels] [--profile]
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { countKernelCalls } from './kernel-calls.ts';
import { NASNET_A } from '../shared/known-genotypes.ts';
import { planNetwork } from '../shared/network-plan.ts';
import { DEFAULT_TRAINING } from '../shared/training-settings.ts';
import { setupBackend } from '../trainer/backend.ts';
import { buildNetwork } from '../trainer/network/network.ts';
import { tf, type BackendChoice } from '../trainer/tf.ts';
import { momentumOptimizer, trainStep } from '../trainer/train/train-step.ts';
import { NETWORK, TINY } from './bench-networks.ts';
import { comparePytorch } from './pytorch-comparison.ts';

const BATCH = 64;
const WARMUP = 2;
const SELF = fileURLToPath(import.meta.url);

interface WorkerOptions {
  readonly threads: number;
  /** Train the tiny child instead of 2@384. */
  readonly tiny: boolean;
  /** Count the kernels of one more step after timing (per-backend runs, not the aggregate). */
  readonly countKernels: boolean;
  /** With countKernels: also kernel time per kernel name. */
  readonly profile: boolean;
}

interface KernelCount {
  readonly calls: number;
  readonly times?: readonly { readonly kernel: string; readonly ms: number }[];
}

interface WorkerReport {
  readonly backend: string;
  readonly device: string;
  readonly steps: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly kernels?: KernelCount;
}

/** Trains `steps` timed steps after warm-up in this process and reports the rate. */
async function worker(
  choice: BackendChoice,
  steps: number,
  options: WorkerOptions,
): Promise<WorkerReport> {
  const info = await setupBackend(choice, { threads: options.threads });
  const settings = options.tiny ? TINY : NETWORK;
  const network = buildNetwork(planNetwork(NASNET_A, settings), {
    seed: 1,
    dropout: 0,
    dropPathKeep: 1,
  });
  const { learningRate, momentum } = DEFAULT_TRAINING;
  const optimizer = momentumOptimizer(network, learningRate, momentum);
  const size = settings.imageSize;
  const shape: [number, number, number, number] = [BATCH, size, size, settings.channels ?? 3];
  const images = tf.randomNormal<tf.Rank.R4>(shape, 0, 1, 'float32', 1);
  const labels = tf.tensor1d(
    Int32Array.from({ length: BATCH }, (_, i) => i % 10),
    'int32',
  );
  const step = (): void =>
    void trainStep(network, optimizer, { images, labels }, DEFAULT_TRAINING, 0.5);
  const count = (): Promise<KernelCount> => countKernels(step, options.profile);
  // A cpu step takes minutes: one warm-up step, and that untimed step is the one counted.
  const cpu = choice === 'cpu';
  let kernels: KernelCount | undefined;
  if (cpu && options.countKernels) kernels = await count();
  for (let i = 0; i < (cpu ? (options.countKernels ? 0 : 1) : WARMUP); i++) step();
  const startedAt = Date.now();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - t0) / 1000;
  const endedAt = Date.now();
  if (options.countKernels && kernels === undefined) kernels = await count();
  return {
    backend: info.backend,
    device: info.device,
    steps,
    seconds,
    imagesPerSecond: (steps * BATCH) / seconds,
    startedAt,
    endedAt,
    ...(kernels ? { kernels } : {}),
  };
}

/** Kernel calls of one step and, with `times`, kernel time summed per kernel name, largest first. */
async function countKernels(step: () => void, times: boolean): Promise<KernelCount> {
  const calls = await countKernelCalls(step);
  if (!times) return { calls };
  const info = await tf.profile(step);
  const totals = new Map<string, number>();
  for (const k of info.kernels)
    totals.set(k.name, (totals.get(k.name) ?? 0) + Number(await k.kernelTimeMs));
  const sorted = [...totals.entries()].map(([kernel, ms]) => ({ kernel, ms }));
  return { calls, times: sorted.sort((a, b) => b.ms - a.ms) };
}

function runWorker(backend: string, steps: number, options: WorkerOptions): Promise<WorkerReport> {
  const args = ['--import', 'tsx', SELF, '--worker', backend, '--steps', String(steps)];
  args.push('--threads', String(options.threads));
  if (options.countKernels) args.push('--count-kernels');
  if (options.profile) args.push('--profile');
  if (options.tiny) args.push('--tiny');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(JSON.parse(last) as WorkerReport);
      else reject(new Error(`worker ${backend} exited with ${code}: ${out}`));
    });
  });
}

/** Images per second of reports that ran together: all images over the span they covered. */
function together(reports: readonly WorkerReport[]): number {
  const span =
    (Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt))) /
    1000;
  return reports.reduce((sum, r) => sum + r.steps * BATCH, 0) / span;
}

/** One line per backend that loads; returns the rates. */
async function perBackend(
  backends: readonly string[],
  steps: number,
  profile: boolean,
): Promise<Map<string, number>> {
  const rates = new Map<string, number>();
  for (const backend of backends) {
    const options = { threads: 1, countKernels: true, profile, tiny: false };
    const report = await runWorker(backend, backend === 'cpu' ? 1 : steps, options).catch(
      () => null,
    );
    if (report === null) {
      console.log(`${backend.padEnd(8)} not available here`);
      continue;
    }
    rates.set(backend, report.imagesPerSecond);
    const calls = report.kernels ? `, ${report.kernels.calls} kernel calls/step` : '';
    console.log(
      `${backend.padEnd(8)} ${report.imagesPerSecond.toFixed(2)} images/s${calls}  (${report.steps} steps in ${report.seconds.toFixed(1)}s; ${report.device})`,
    );
    for (const k of report.kernels?.times?.slice(0, 12) ?? [])
      console.log(`           ${k.kernel.padEnd(34)} ${k.ms.toFixed(1)} ms/step`);
  }
  return rates;
}

/** The best backend on the whole machine: one process per core, and one process on every core. */
async function wholeMachine(best: string, steps: number, cores: number): Promise<number> {
  const single = { threads: 1, countKernels: false, profile: false, tiny: false };
  const reports = await Promise.all(
    Array.from({ length: cores }, () => runWorker(best, steps, single)),
  );
  const aggregate = together(reports);
  console.log(
    `${cores} ${best} trainer processes together: ${reports.map((r) => r.imagesPerSecond.toFixed(2)).join(' + ')} images/s`,
  );
  console.log(`aggregate: ${aggregate.toFixed(2)} images/s (${cores} processes x 1 thread)`);
  if (best !== 'node' && best !== 'node-gpu') {
    console.log(`one process, ${cores} threads: not run (${best} runs one thread per process)`);
    return aggregate;
  }
  const all = { threads: cores, countKernels: false, profile: false, tiny: false };
  const one = await runWorker(best, steps, all);
  console.log(`one process, ${cores} threads: ${one.imagesPerSecond.toFixed(2)} images/s`);
  return Math.max(aggregate, one.imagesPerSecond);
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const flag = (name: string): boolean => process.argv.includes(name);
  const steps = Number(arg('--steps') ?? 10);
  const cores = availableParallelism();
  if (flag('--worker')) {
    const choice = arg('--worker') as BackendChoice;
    const options = {
      threads: Number(arg('--threads') ?? cores),
      countKernels: flag('--count-kernels'),
      profile: flag('--profile'),
      tiny: flag('--tiny'),
    };
    const report = await worker(choice, steps, options).catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return process.exit(3);
    });
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  console.log(`NASNet-A 2@384 (f = 16), 32x32x3, batch ${BATCH}, ${WARMUP} warm-up steps`);
  const backends = (arg('--backends') ?? 'node-gpu,node,wasm,cpu').split(',');
  const rates = await perBackend(backends, steps, flag('--profile'));
  const wasm = rates.get('wasm');
  const cpu = rates.get('cpu');
  if (wasm !== undefined && cpu !== undefined)
    console.log(`wasm / cpu: ${(wasm / cpu).toFixed(1)}x`);
  const fastest = [...rates.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const bestTfjs = fastest === undefined ? undefined : await wholeMachine(fastest, steps, cores);
  if (!flag('--no-pytorch'))
    await comparePytorch(bestTfjs, { steps, warmup: WARMUP, threads: cores, batch: BATCH });
  if (!flag('--no-tiny')) await tinyChild(backends, steps);
}

/** The tiny child on each backend, one thread each, and tensorflow's rate over wasm's. */
async function tinyChild(backends: readonly string[], steps: number): Promise<void> {
  console.log(`tiny child: NASNet-A 1@48, 28x28x1, batch ${BATCH}, one thread each`);
  const rates = new Map<string, number>();
  for (const backend of backends.filter((b) => b !== 'cpu')) {
    const options = { threads: 1, countKernels: true, profile: false, tiny: true };
    const report = await runWorker(backend, steps * 3, options).catch(() => null);
    if (report === null) continue;
    rates.set(backend, report.imagesPerSecond);
    const calls = report.kernels ? `, ${report.kernels.calls} kernel calls/step` : '';
    console.log(`${backend.padEnd(8)} ${report.imagesPerSecond.toFixed(2)} images/s${calls}`);
  }
  const [node, wasm] = [rates.get('node'), rates.get('wasm')];
  if (node !== undefined && wasm !== undefined)
    console.log(`tiny child node / wasm: ${(node / wasm).toFixed(2)} (target 1.0)`);
}

await main();
