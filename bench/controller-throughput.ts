/**
 * Controller throughput: simulated trainers over real loopback gRPC that answer instantly (the
 * reward is a deterministic function of the genotype), driven by the real search pipeline, run
 * store and journal. Prints sustained trials/s, the p50/p99 delay from a result to the next
 * dispatch inside the controller, the CPU time per trial of the controller and of the trainers'
 * process, per strategy, and heap use along the run.
 * Ends with a long random search (`--memory-trials`, default 100,000; 0 skips it) whose heap and
 * resident memory are read every tenth of the way (after a GC when run with --expose-gc, as the npm
 * script does) to show that memory stays flat.
 * Run: npm run bench:controller [-- --trainers 500 --trials 5000 --strategies rl,evolution,random
 *      --memory-trials 100000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { defer, lastValueFrom, NEVER } from 'rxjs';
import { tap } from 'rxjs/operators';
import type { Genotype } from '../shared/genotype.ts';
import { DEFAULT_SPACE } from '../shared/search-space.ts';
import { DEFAULT_TRAINING } from '../shared/training-settings.ts';
import type { TrialRequest, TrialResult } from '../shared/trial.ts';
import { expectedSize } from '../controller/search/result-check.ts';
import { runSearch } from '../controller/search/run-search.ts';
import { openSearch } from '../controller/search/search-session.ts';
import {
  createTrainerClient,
  type TrainerClient,
  type TrainerClientOptions,
} from '../controller/trainer-client/index.ts';
import { parseSearchSettings } from '../shared/search-settings.ts';
import { defaultStrategyConfig, type StrategyName } from '../controller/strategies/strategy.ts';
import { startTrainerServer, type TrainerServer } from '../trainer/server/trainer-server.ts';
import { createTrialService } from '../trainer/server/trial-service.ts';
import { hostTargets } from '../controller/fleet/trainer-target.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

/** A deterministic reward: the share of separable convolutions among all ops. */
function syntheticAccuracy(genotype: Genotype): number {
  const ops = [...genotype.normal.blocks, ...genotype.reduction.blocks].flatMap((b) => [
    b.opA,
    b.opB,
  ]);
  return ops.filter((op) => op.startsWith('sep_conv')).length / ops.length;
}

/**
 * Result-to-dispatch delays inside the controller: a trainer client that notes when a result comes
 * out of a call and, when the next call starts, how long after the oldest unmatched result. This
 * spans the controller's reaction: persisting the result, telling the strategy, asking for and
 * sending the next candidate; not the time a result waited in the socket for the controller.
 */
function tracingConnect(delays: number[]): (options: TrainerClientOptions) => TrainerClient {
  const resultAt: number[] = [];
  return (options) => {
    const client = createTrainerClient(options);
    return {
      address: client.address,
      info: (infoOptions) => client.info(infoOptions),
      checkDataset: (spec, abort) => client.checkDataset(spec, abort),
      close: () => client.close(),
      trial: (request, callOptions) =>
        defer(() => {
          const result = resultAt.shift();
          if (result !== undefined) delays.push(performance.now() - result);
          return client.trial(request, callOptions).pipe(
            tap((event) => {
              if (event.type === 'result') resultAt.push(performance.now());
            }),
          );
        }),
    };
  };
}

async function startTrainers(count: number): Promise<TrainerServer[]> {
  const logger = pino({ level: 'silent' });
  const runner = (request: TrialRequest): Promise<TrialResult> =>
    Promise.resolve({
      status: 'succeeded',
      reason: '',
      epochs: [
        {
          epoch: 1,
          trainLoss: 1,
          trainAccuracy: 0.5,
          validationLoss: 1,
          validationAccuracy: syntheticAccuracy(request.genotype),
          learningRate: 0,
          seconds: 0,
          imagesPerSecond: 0,
        },
      ],
      testAccuracy: null,
      // The controller fails a result whose sizes are not its own count of the network.
      ...(expectedSize(request) ?? { params: 1, bnStatistics: 0, multAdds: 1 }),
      latency: null,
      backend: 'simulated',
      device: 'none',
      seconds: 0,
    } satisfies TrialResult);
  const servers: TrainerServer[] = [];
  for (let i = 0; i < count; i++) {
    const service = createTrialService({
      runner,
      capacity: 1,
      backend: { backend: 'simulated', device: 'none' },
    });
    servers.push(await startTrainerServer({ host: '127.0.0.1', port: 0, service, logger }));
  }
  return servers;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** One search of the bench; `samples` heap readings are taken along it. */
interface BenchRun {
  readonly name: StrategyName;
  readonly trials: number;
  readonly samples: number;
  /** Print nothing (the warm-up). */
  readonly quiet?: boolean;
  /** Collect garbage before each heap reading (the memory run; it costs time, so not in timed runs). */
  readonly collect?: boolean;
}

async function benchStrategy(
  run: BenchRun,
  addresses: string[],
  trainersPid: number | undefined,
): Promise<void> {
  const { name, trials } = run;
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-bench-')), 'run');
  const settings = parseSearchSettings(
    {
      strategy: defaultStrategyConfig(name, 1),
      maxTrials: trials,
      dataset: 'synthetic',
      network: { cells: 1, filters: 48, skeleton: 'cifar' as const, auxHead: false },
      // The synthetic dataset holds 5000 training examples: the default validation split (5000)
      // would leave none to train on, and the dataset pre-flight refuses that.
      training: { ...DEFAULT_TRAINING, validationSize: 500 },
      rewardEpochs: 5,
      reuseDuplicates: false,
      maxAttempts: 3,
      snapshotEvery: 20,
      medianStop: null,
    },
    'the benchmark',
  );
  const delays: number[] = [];
  const session = await openSearch(
    dir,
    { resume: false, settings, space: DEFAULT_SPACE },
    { targets: hostTargets(addresses), connect: tracingConnect(delays) },
  );
  const heap: string[] = [];
  let finished = 0;
  const cpuBefore = process.cpuUsage();
  const trainersCpuBefore = processCpuSeconds(trainersPid);
  const start = performance.now();
  await lastValueFrom(
    runSearch(session.driver, NEVER).pipe(
      tap((event) => {
        if (event.type !== 'trial-finished') return;
        if (++finished % Math.ceil(trials / run.samples) === 0)
          heap.push(memoryAt(finished, run.collect === true));
      }),
    ),
    { defaultValue: null },
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerTrial = (cpu.user + cpu.system) / Math.max(1, finished);
  const trainersCpuPerTrial =
    (1e6 * (processCpuSeconds(trainersPid) - trainersCpuBefore)) / Math.max(1, finished);
  await session.close();
  if (run.quiet === true) return;
  delays.sort((a, b) => a - b);
  const q = (p: number): string =>
    (delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN).toFixed(2);
  console.log(
    `${name.padEnd(9)} ${(finished / seconds).toFixed(0).padStart(6)} trials/s  (${finished} in ${seconds.toFixed(1)}s)  result->dispatch p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  CPU per trial: controller ${cpuPerTrial.toFixed(0)} µs, trainers ${trainersCpuPerTrial.toFixed(0)} µs\n          heap/rss at trials ${heap.join(', ')}`,
  );
}

/** Heap and resident memory now; after a garbage collection if `collect` and `--expose-gc` allow. */
function memoryAt(finished: number, collect: boolean): string {
  if (collect) (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
  return `${finished}: ${mib(heapUsed)}/${mib(rss)} MiB`;
}

/** The simulated trainers run in a child process, so the controller's measurements are its own. */
async function spawnTrainers(count: number): Promise<{ addresses: string[]; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', String(count)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stdout = child.stdout;
  if (stdout === null) throw new Error('the trainers process has no stdout');
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: stdout }).once('line', resolve),
  );
  return { addresses: JSON.parse(line) as string[], child };
}

if (process.argv.includes('--serve')) {
  const servers = await startTrainers(Number(arg('--serve', '500')));
  // Exit (not die) on SIGTERM, so that a --cpu-prof run of the trainers writes its profile.
  process.on('SIGTERM', () => process.exit(0));

  process.stdout.write(JSON.stringify(servers.map((s) => s.address)) + '\n');
} else {
  const trainerCount = Number(arg('--trainers', '500'));
  const trials = Number(arg('--trials', '5000'));
  const memoryTrials = Number(arg('--memory-trials', '100000'));
  const strategies = arg('--strategies', 'random,evolution,rl').split(',') as StrategyName[];
  const { addresses, child } = await spawnTrainers(trainerCount);
  console.log(
    `${trainerCount} simulated trainers on loopback gRPC (another process), ${trials} trials per strategy after a warm-up`,
  );
  const warmUp = { name: 'random', trials: 2000, samples: 1, quiet: true } as const;
  await benchStrategy(warmUp, addresses, child.pid);
  for (const name of strategies)
    await benchStrategy({ name, trials, samples: 4 }, addresses, child.pid);
  if (memoryTrials > 0) {
    console.log(`memory: ${memoryTrials} trials of random search`);
    const memoryRun = { name: 'random', trials: memoryTrials, samples: 10, collect: true } as const;
    await benchStrategy(memoryRun, addresses, child.pid);
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  process.exit(0);
}
