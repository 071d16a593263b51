/**
 * Both metrics endpoints pass Prometheus's own linter (issue #24): the controller's (started as
 * `nas-ctl search --metrics-port` starts it, fed a search's events) and a real `nas-trainer serve
 * --metrics-port` process's, scraped over HTTP and piped into `promtool check metrics`, which must
 * exit 0 and print nothing (warnings included). Each also serves a zero series for every trial
 * status not seen yet and a `*_build_info` gauge. Without promtool these tests fail, naming the
 * package to install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { startControllerMetrics } from '../../controller/metrics/controller-metrics-endpoint.ts';
import { VERSION } from '../../runtime/version.ts';
import { promtoolCheckMetrics } from '../fixtures/promtool.ts';
import { scrapeMetrics, type Scrape } from '../fixtures/scrape-metrics.ts';

const TRAINER_BIN = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;
const LOOPBACK = { host: '127.0.0.1', port: 0, public: false };

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `nas-trainer serve` with metrics on the cpu backend; resolves with its metrics URL. */
function trainerMetricsUrl(): Promise<string> {
  const child = spawn(
    process.execPath,
    [TRAINER_BIN, 'serve', '--port', '0', '--metrics-port', '0', '--backend', 'cpu'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /^nas-trainer metrics on (\S+)$/.exec(line)?.[1];
      if (url !== undefined) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`the trainer exited (${code}) before serving`)));
  });
}

/** Asserts what both processes serve: promtool's silence and the build info. */
async function expectClean(m: Scrape, prefix: string): Promise<void> {
  expect(await promtoolCheckMetrics(m.text)).toEqual({ code: 0, output: '' });
  expect(m.family(`${prefix}build_info`).metrics).toEqual([
    { labels: { version: VERSION, nodejs_version: process.version }, value: '1' },
  ]);
}

describe('promtool check metrics', () => {
  it('finds nothing in the controller metrics, which count every trial status from 0', async () => {
    const metrics = await startControllerMetrics(LOOPBACK);
    try {
      metrics.observe({ type: 'trainer-joined', trainer: '127.0.0.1:1', capacity: 1 });
      metrics.observe({ type: 'trial-started', trialId: 1, trainer: '127.0.0.1:1', attempt: 1 });
      metrics.observe({
        ...{ type: 'trial-finished', trialId: 1, hash: '0123456789abcdef', status: 'succeeded' },
        ...{ reward: 0.5, reason: '', result: null, reused: false },
      });
      const m = await scrapeMetrics(metrics.url ?? '');
      await expectClean(m, 'cellsearch_controller_');
      expect(m.family('cellsearch_controller_trials_finished_total').metrics).toEqual([
        { labels: { status: 'succeeded' }, value: '1' },
        { labels: { status: 'failed' }, value: '0' },
        { labels: { status: 'cancelled' }, value: '0' },
      ]);
    } finally {
      await metrics.close();
    }
  });

  it('finds nothing in a trainer process metrics, which count every trial outcome from 0', async () => {
    const m = await scrapeMetrics(await trainerMetricsUrl());
    await expectClean(m, 'cellsearch_trainer_');
    expect(m.family('cellsearch_trainer_trials_finished_total').metrics).toEqual(
      ['succeeded', 'failed', 'cancelled', 'refused'].map((status) => ({
        labels: { status },
        value: '0',
      })),
    );
  });

  it('fails with a clear message where promtool cannot be run', async () => {
    await expect(promtoolCheckMetrics('', '/nonexistent/promtool')).rejects.toThrow(
      'cannot run "/nonexistent/promtool": not found; install Debian\'s `prometheus` package',
    );
  });
});
