/**
 * `nas-ctl search --metrics-port` (issue #13): while a real search runs against a real trainer, its
 * /metrics, scraped over HTTP and parsed by a Prometheus text-format parser, counts the trials, the
 * trainer's slots and availability, the best reward and the result-to-dispatch delay, and
 * `promtool check metrics` finds nothing in it. Bad metrics flags and a port in use are refused
 * before anything starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { promtoolCheckMetrics } from '../fixtures/promtool.ts';
import { scrapeMetrics, type Scrape } from '../fixtures/scrape-metrics.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';
import { killTrainers, spawnTrainer } from './grpc-helpers.ts';

const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
const SMALL = [
  ...['--dataset', 'synthetic:classes=4,size=16,train=192,test=32', '--size', '1@48'],
  ...['--epochs', '1', '--steps-per-epoch', '2', '--batch-size', '16', '--validation-size', '64'],
];

afterAll(killTrainers);

/** Runs a search with metrics; scrapes them once the first trial finished; resolves at its exit. */
async function searchScrapedMidway(
  args: readonly string[],
): Promise<{ code: number | null; url: string; scrape: Scrape; stderr: string }> {
  const child = spawn(process.execPath, [CTL, 'search', '--json', '--metrics-port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let url = '';
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr += `${line}\n`;
    url = /^nas-ctl metrics on (\S+)$/.exec(line)?.[1] ?? url;
  });
  const scraped = new Promise<Scrape>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event: unknown = JSON.parse(line);
      const finished =
        typeof event === 'object' &&
        event !== null &&
        'type' in event &&
        event.type === 'trial-finished';
      if (finished) scrapeMetrics(url).then(resolve, reject);
    });
    child.once('exit', () => reject(new Error(`the search ended before a scrape:\n${stderr}`)));
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, url, scrape: await scraped, stderr };
}

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)(`nas-ctl search --metrics-port (${TEST_BACKEND})`, () => {
  it('counts trials, trainers, the best reward and dispatch delays while the search runs', async () => {
    const trainer = await spawnTrainer([...TEST_BACKEND_FLAG, '--log-level', 'warn']);
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-search-metrics-')), 'run');
    const ran = await searchScrapedMidway([
      ...['--trainers', trainer.address, '--strategy', 'random', '--trials', '3'],
      ...['--run-dir', dir, ...SMALL],
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const m = ran.scrape;
    expect(m.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const p = 'cellsearch_controller_';
    const succeeded = m.value(`${p}trials_finished_total`, { status: 'succeeded' }) ?? 0;
    expect(succeeded).toBeGreaterThanOrEqual(1);
    expect(m.sum(`${p}trials_finished_total`)).toBe(succeeded);
    expect(m.value(`${p}trials_finished_total`, { status: 'failed' })).toBe(0);
    expect(m.value(`${p}trials_started_total`)).toBeGreaterThanOrEqual(succeeded);
    expect(m.value(`${p}capacity_trials`)).toBe(1);
    expect(m.sum(`${p}trainers`)).toBe(1);
    expect(m.value(`${p}trainers`, { state: 'down' })).toBe(0);
    expect(m.family(`${p}trainer_up`).metrics).toEqual([
      { labels: { trainer: trainer.address }, value: '1' },
    ]);
    expect(m.value(`${p}queued_trials`)).toBeGreaterThanOrEqual(0);
    const best = m.value(`${p}best_reward`) ?? Number.NaN;
    expect(best >= 0 && best <= 1).toBe(true);
    // The second trial is sent as the first result arrives, before that result is reported.
    expect(m.histogramCount(`${p}result_dispatch_delay_seconds`)).toBeGreaterThanOrEqual(1);
    expect(m.family(`${p}grpc_errors_total`).metrics).toEqual([]);
    expect(m.value(`process_resident_memory_bytes`)).toBeGreaterThan(10_000_000);
    // Prometheus's linter finds nothing, warnings included, in a running search's metrics.
    expect(await promtoolCheckMetrics(m.text)).toEqual({ code: 0, output: '' });
    // Served while the search runs, and no longer once it ended.
    await expect(fetch(ran.url)).rejects.toThrow();
  });
});

describe('nas-ctl search metrics flags', () => {
  it('refuses bad values before anything starts, naming the flag', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-search-metrics-')), 'run');
    const ended = await nasCtl(
      ...['search', '--trainers', '127.0.0.1:1', '--run-dir', dir, '--metrics-port', '99999'],
      ...['--metrics-host', 'not a host'],
    );
    expect(ended.stderr).toMatch(/--metrics-port: expected a port in 0\.\.65535 .*got "99999"/);
    expect(ended.stderr).toMatch(/--metrics-host: expected an IP address or host name/);
    expect(ended.code).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses an exposed --metrics-host without --metrics-public, naming both flags', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-search-metrics-')), 'run');
    const ended = await nasCtl(
      ...['search', '--trainers', '127.0.0.1:1', '--run-dir', dir, '--metrics-port', '0'],
      ...['--metrics-host', '0.0.0.0'],
    );
    expect(ended.stderr).toMatch(
      /--metrics-host: 0\.0\.0\.0 can be reached from other machines.*add --metrics-public/,
    );
    expect(ended.code).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a metrics port in use in one line, before the run directory is made', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const bound = taken.address();
    const port = typeof bound === 'object' && bound !== null ? bound.port : 0;
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-search-metrics-')), 'run');
    try {
      const ended = await nasCtl(
        ...['search', '--trainers', '127.0.0.1:1', '--run-dir', dir],
        ...['--metrics-port', String(port)],
      );
      expect(ended.stderr).toContain(
        `error: --metrics-port ${port} on --metrics-host 127.0.0.1: cannot listen: the port is in use; choose another, or 0 for a free one\n`,
      );
      expect(ended.code).toBe(1);
      expect(existsSync(dir)).toBe(false);
    } finally {
      taken.close();
    }
  });
});
