/**
 * Training throughput of NASNet-A, N = 2, f = 16 (2@384) on 32x32x3 inputs, batch 64, after warm-up:
 * images/s on every backend that loads here (the cpu backend on fewer steps), then one trainer
 * process per CPU core training together, ending with `aggregate: <n> images/s`.
 * Run: npm run bench:train  [-- --steps 10 --profile --backends wasm,cpu]
 * A worker run (used internally): npx tsx bench/train-throughput.ts --worker <backend> --steps S
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { NASNET_A } from '../shared/known-genotypes.ts';
import { planNetwork } from '../shared/network-plan.ts';
import { setupBackend } from '../trainer/backend.ts';
import { buildNetwork } from '../trainer/build/network.ts';
import { tf, type BackendChoice } from '../trainer/tf.ts';
import { momentumOptimizer, trainStep } from '../trainer/train/train-step.ts';
import { DEFAULT_TRAINING } from '../shared/training-settings.ts';

const BATCH = 64;
const WARMUP = 2;
const SELF = fileURLToPath(import.meta.url);

interface WorkerReport {
  readonly backend: string;
  readonly device: string;
  readonly steps: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly profile?: readonly { readonly kernel: string; readonly ms: number }[];
}

/** Trains `steps` timed steps after warm-up in this process and reports the rate. */
async function worker(
  choice: BackendChoice,
  steps: number,
  profile: boolean,
): Promise<WorkerReport> {
  const info = await setupBackend(choice);
  const plan = planNetwork(NASNET_A, {
    cells: 2,
    filters: 384,
    imageSize: 32,
    classes: 10,
    skeleton: 'cifar',
    auxHead: false,
  });
  const network = buildNetwork(plan, { seed: 1, dropout: 0, dropPathKeep: 1 });
  const optimizer = momentumOptimizer(network, 0.025, 0.9);
  const images = tf.randomNormal<tf.Rank.R4>([BATCH, 32, 32, 3], 0, 1, 'float32', 1);
  const labels = tf.tensor1d(
    Int32Array.from({ length: BATCH }, (_, i) => i % 10),
    'int32',
  );
  const step = (): void =>
    void trainStep(network, optimizer, { images, labels }, DEFAULT_TRAINING, 0.5);
  // The cpu backend is timed on one step with one warm-up: a step there takes minutes.
  for (let i = 0; i < (choice === 'cpu' ? 1 : WARMUP); i++) step();
  const startedAt = Date.now();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - t0) / 1000;
  const endedAt = Date.now();
  const kernels = profile ? await profileStep(step) : undefined;
  return {
    backend: info.backend,
    device: info.device,
    steps,
    seconds,
    imagesPerSecond: (steps * BATCH) / seconds,
    startedAt,
    endedAt,
    ...(kernels ? { profile: kernels } : {}),
  };
}

/** Kernel time of one step, summed per kernel name, largest first. */
async function profileStep(step: () => void): Promise<{ kernel: string; ms: number }[]> {
  const info = await tf.profile(step);
  const totals = new Map<string, number>();
  for (const k of info.kernels)
    totals.set(k.name, (totals.get(k.name) ?? 0) + Number(await k.kernelTimeMs));
  return [...totals.entries()].map(([kernel, ms]) => ({ kernel, ms })).sort((a, b) => b.ms - a.ms);
}

function runWorker(backend: string, steps: number, profile = false): Promise<WorkerReport> {
  const args = [
    '--import',
    'tsx',
    SELF,
    '--worker',
    backend,
    '--steps',
    String(steps),
    ...(profile ? ['--profile'] : []),
  ];
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

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const steps = Number(arg('--steps') ?? 10);
  if (process.argv.includes('--worker')) {
    const choice = arg('--worker') as BackendChoice;
    const report = await worker(choice, steps, process.argv.includes('--profile')).catch(
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        return process.exit(3);
      },
    );
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  console.log(`NASNet-A 2@384 (f = 16), 32x32x3, batch ${BATCH}, ${WARMUP} warm-up steps`);
  const rates = new Map<string, number>();
  for (const backend of (arg('--backends') ?? 'node-gpu,node,wasm,cpu').split(',')) {
    const report = await runWorker(
      backend,
      backend === 'cpu' ? 1 : steps,
      process.argv.includes('--profile'),
    ).catch(() => null);
    if (report === null) {
      console.log(`${backend.padEnd(8)} not available here`);
      continue;
    }
    rates.set(backend, report.imagesPerSecond);
    console.log(
      `${backend.padEnd(8)} ${report.imagesPerSecond.toFixed(2)} images/s  (${report.steps} steps in ${report.seconds.toFixed(1)}s; ${report.device})`,
    );
    for (const k of report.profile?.slice(0, 12) ?? [])
      console.log(`           ${k.kernel.padEnd(34)} ${k.ms.toFixed(1)} ms/step`);
  }
  const wasm = rates.get('wasm');
  const cpu = rates.get('cpu');
  if (wasm !== undefined && cpu !== undefined)
    console.log(`wasm / cpu: ${(wasm / cpu).toFixed(1)}x`);
  const best = ['node-gpu', 'node', 'wasm', 'cpu'].find((b) => rates.has(b)) ?? 'cpu';
  const cores = availableParallelism();
  const reports = await Promise.all(Array.from({ length: cores }, () => runWorker(best, steps)));
  const span =
    (Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt))) /
    1000;
  const images = reports.reduce((sum, r) => sum + r.steps * BATCH, 0);
  console.log(
    `${cores} ${best} trainer processes together: ${reports.map((r) => r.imagesPerSecond.toFixed(2)).join(' + ')} images/s`,
  );
  console.log(`aggregate: ${(images / span).toFixed(2)} images/s`);
}

await main();
