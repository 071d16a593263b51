/**
 * Start-up time of the two binaries: `nas-ctl --help` and `nas-trainer --help`, each run N times
 * from the compiled JavaScript in dist/ and N times from the TypeScript sources through tsx
 * (NAS_FROM_SOURCE=1, after one untimed run that fills tsx's compile cache), the two interleaved so
 * that load on the machine hits both alike. Prints the median and range of wall time of each, the
 * median CPU time (user + system, on Linux: less swayed than wall time by other work on the
 * machine) and the load average at the end.
 * Run: npm run bench:startup [-- --runs 10]   (the script builds dist/ first)
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BINS = ['nas-ctl', 'nas-trainer'] as const;
const MODES = { dist: {}, tsx: { NAS_FROM_SOURCE: '1' } } as const;
type Mode = keyof typeof MODES;

/**
 * CPU milliseconds (user + system) of this process's waited-for children so far: cutime and cstime
 * of /proc/self/stat, in clock ticks of 10 ms (Linux's USER_HZ is 100); NaN elsewhere.
 */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

/** Wall and CPU milliseconds of one `bin --help` in `mode`. */
function timeOnce(bin: string, mode: Mode): { wall: number; cpu: number } {
  const [started, cpuBefore] = [performance.now(), childrenCpuMs()];
  execFileSync(process.execPath, [join(ROOT, 'bin', `${bin}.js`), '--help'], {
    env: { ...process.env, ...MODES[mode] },
    stdio: 'ignore',
  });
  return { wall: performance.now() - started, cpu: childrenCpuMs() - cpuBefore };
}

/** The newest modification time of the .ts files under `dir`. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(newest, newestSource(path));
    return entry.name.endsWith('.ts') ? Math.max(newest, statSync(path).mtimeMs) : newest;
  }, 0);
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const times = new Map<string, { wall: number; cpu: number }[]>();
for (const bin of BINS) timeOnce(bin, 'tsx');
for (let run = 0; run < RUNS; run++) {
  for (const bin of BINS) {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const key = `${bin} --help, ${mode}`;
      times.set(key, [...(times.get(key) ?? []), timeOnce(bin, mode)]);
    }
  }
}
const builtAt = statSync(join(ROOT, 'dist', 'controller', 'cli.js')).mtimeMs;
const sources = ['shared', 'runtime', 'proto', 'controller', 'trainer'].map((d) => join(ROOT, d));
if (sources.some((dir) => newestSource(dir) > builtAt)) {
  process.stderr.write('warning: a source is newer than dist/: the dist runs fell back to tsx\n');
}
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
process.stdout.write(
  `start-up, ${RUNS} runs each (${cpus().length} cores, load ${load}): wall median (min-max), cpu median\n`,
);
for (const [key, runs] of times) {
  const wall = runs.map((r) => r.wall).sort((a, b) => a - b);
  const cpu = median(runs.map((r) => r.cpu).sort((a, b) => a - b));
  const range = `${wall[0]!.toFixed(0)}-${wall.at(-1)!.toFixed(0)}`;
  const line = `${median(wall).toFixed(0)} ms (${range}), cpu ${cpu.toFixed(0)} ms`;
  process.stdout.write(`  ${key.padEnd(26)} ${line}\n`);
}
