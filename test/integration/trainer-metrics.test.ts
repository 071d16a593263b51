/**
 * `nas-trainer serve --metrics-port` (issue #13): a real trainer process trains a tiny trial; its
 * /metrics, scraped over HTTP and parsed by a Prometheus text-format parser, counts the trial, its
 * steps and images, and the calls refused with a gRPC status, and `promtool check metrics` finds
 * nothing in it. Bad metrics flags and a port in use are refused before anything starts.
 */
import { credentials } from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { lastValueFrom } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { createTrainerClient } from '../../controller/trainer-client/index.ts';
import { nasTrainer } from '../fixtures/nas-trainer-cli.ts';
import { promtoolCheckMetrics } from '../fixtures/promtool.ts';
import { scrapeMetrics } from '../fixtures/scrape-metrics.ts';
import { trainCall } from '../fixtures/train-call.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';
import { callFailure, TINY } from './grpc-helpers.ts';

const BIN = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `nas-trainer serve` with metrics; resolves with its gRPC address and metrics URL. */
async function serveWithMetrics(
  args: readonly string[],
): Promise<{ address: string; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--metrics-port', '0', '--log-level', 'warn', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  let url = '';
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      url = /^nas-trainer metrics on (\S+)$/.exec(line)?.[1] ?? url;
      const address = /listening on (\S+)/.exec(line)?.[1];
      if (address !== undefined) resolve({ address, url });
    });
    child.once('exit', (code) =>
      reject(new Error(`the trainer exited (${code}) before listening`)),
    );
  });
}

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)(`nas-trainer serve --metrics-port (${TEST_BACKEND})`, () => {
  it('counts a trained trial, its steps and images, and refused trials by method and code', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cellsearch-metrics-root-'));
    const { address, url } = await serveWithMetrics([...TEST_BACKEND_FLAG, '--data-root', root]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const session = createTrainerClient({ address });
    const single = new (loadNasV1().TrainerService)(address, credentials.createInsecure());
    try {
      await session.info();
      const events = await lastValueFrom(session.trial(TINY), { defaultValue: null });
      expect(events).toMatchObject({ type: 'result', result: { status: 'succeeded' } });
      // Outside --data-root: refused before a trial process sees it, over a Session and a Train call.
      const outside: TrialRequest = { ...TINY, dataset: parseDatasetSpec('cifar10:/etc') };
      await callFailure(lastValueFrom(session.trial(outside)));
      await callFailure(lastValueFrom(trainCall(single, address, outside)));
    } finally {
      session.close();
      single.close();
    }
    const m = await scrapeMetrics(url);
    expect(m.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const p = 'cellsearch_trainer_';
    expect(m.value(`${p}trials_started_total`)).toBe(1);
    expect(m.value(`${p}trials_finished_total`, { status: 'succeeded' })).toBe(1);
    expect(m.value(`${p}trials_finished_total`, { status: 'refused' })).toBe(0);
    expect(m.sum(`${p}trials_finished_total`)).toBe(1);
    expect(m.value(`${p}running_trials`)).toBe(0);
    expect(m.value(`${p}capacity_trials`)).toBe(1);
    expect(m.value(`${p}ready`)).toBe(1);
    // TINY: one epoch of 2 steps of 16 images; the first step of an epoch is not timed.
    expect(m.value(`${p}trained_images_total`)).toBe(32);
    expect(m.histogramCount(`${p}step_duration_seconds`)).toBe(1);
    // The parser folds a labelled histogram's label sets into one: with one status, it is that one.
    const trials = m.family(`${p}trial_duration_seconds`).metrics;
    expect(trials.length).toBe(1);
    expect(trials[0]?.buckets?.['+Inf']).toBe('1');
    expect(m.family(`${p}grpc_errors_total`).metrics).toEqual([
      { labels: { method: 'Session', code: 'PERMISSION_DENIED' }, value: '1' },
      { labels: { method: 'Train', code: 'PERMISSION_DENIED' }, value: '1' },
    ]);
    expect(m.value(`${p}trial_processes_resident_memory_bytes`)).toBeGreaterThan(10_000_000);
    expect(m.value(`process_resident_memory_bytes`)).toBeGreaterThan(10_000_000);
    // Prometheus's linter finds nothing, warnings included, in a trainer that trained and refused.
    expect(await promtoolCheckMetrics(m.text)).toEqual({ code: 0, output: '' });
    // Ours under the trainer's prefix; prom-client's standard process and Node.js metrics as named.
    for (const family of m.families)
      expect(family.name).toMatch(/^(cellsearch_trainer|process|nodejs)_[a-z0-9_]+$/);
  });
});

describe('nas-trainer serve metrics flags', () => {
  it.each([
    [['--metrics-port', '65536'], /--metrics-port: expected a port in 0\.\.65535 .*got "65536"/],
    [
      ['--metrics-port', '0', '--metrics-host', 'two words'],
      /--metrics-host: expected an IP address or host name/,
    ],
    [['--metrics-host', '0.0.0.0'], /--metrics-host: goes with --metrics-port/],
    [
      ['--metrics-port', '0', '--metrics-host', '0.0.0.0'],
      /--metrics-host: 0\.0\.0\.0 can be reached from other machines.*add --metrics-public/,
    ],
    [['--metrics-public'], /--metrics-public: goes with --metrics-port/],
  ])('refuses %j before serving', async (args, says) => {
    const ended = await nasTrainer(
      ['serve', '--port', '0', '--backend', 'cpu', ...args],
      process.env,
    );
    expect(ended.stderr).toMatch(says);
    expect(ended.code).toBe(1);
    expect(ended.stdout).toBe('');
  });

  it('refuses a metrics port in use in one line, before any trial process starts', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const bound = taken.address();
    const port = typeof bound === 'object' && bound !== null ? bound.port : 0;
    try {
      const started = performance.now();
      const ended = await nasTrainer(
        ['serve', '--port', '0', '--backend', 'cpu', '--metrics-port', String(port)],
        process.env,
      );
      expect(ended.stderr).toBe(
        `error: --metrics-port ${port} on --metrics-host 127.0.0.1: cannot listen: the port is in use; choose another, or 0 for a free one\n`,
      );
      expect(ended.code).toBe(1);
      expect(ended.stdout).toBe('');
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      taken.close();
    }
  });
});
