/**
 * The end of `--json` output (issue #24): `nas-ctl search` and `nas-ctl train` end stdout with one
 * `summary` event, after a budget and after a Ctrl-C; `--metrics-linger` keeps the search's
 * /metrics up after that summary, so a last scrape reads the final counts, until a Ctrl-C; and
 * `--skeleton auto` (the default) is resolved against the dataset and said.
 */
import { mkdtemp } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftJobs, startSearchJob } from '../fixtures/search-job.ts';
import { scrapeMetrics } from '../fixtures/scrape-metrics.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';

/** Trials of well under a second on 8x8 images. */
const TINY = [
  ...['--backend', 'wasm', '--dataset', 'synthetic:classes=2,size=8,train=32,test=8'],
  ...['--size', '1@24', '--epochs', '1', '--steps-per-epoch', '4', '--batch-size', '8'],
  ...['--validation-size', '8'],
];
/** Two CPU cores shared with other tests: starting a trainer alone can take 15 s. */
const SLOW = 180_000;
/** A Ctrl-C during the linger ends nas-ctl at once: seconds, even on a loaded machine. */
const PROMPTLY_MS = 10_000;

afterEach(killLeftJobs);

const isSummary = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && 'type' in event && event.type === 'summary';

describe('nas-ctl search --json', () => {
  it(
    'ends with a summary event; --metrics-linger serves the final counts after it until Ctrl-C',
    async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-summary-')), 'run');
      const job = startSearchJob([
        ...['--strategy', 'random', '--trials', '2', '--local-trainers', '1', '--run-dir', dir],
        ...['--metrics-port', '0', '--metrics-linger', '10m', ...TINY],
      ]);
      await job.until(() => isSummary(job.events.at(-1)));
      expect(job.events.at(-1)).toMatchObject({
        type: 'summary',
        command: 'search',
        runDir: dir,
        stopReason: 'budget',
        trials: { finished: 2, succeeded: 2, failed: 0, cancelled: 0 },
        failureReasons: [],
      });
      for (const key of ['trialId', 'reward', 'hash', 'genotype'])
        expect(job.events.at(-1)).toHaveProperty(`best.${key}`);
      // The search is over (its summary printed); the endpoint still answers, with the final counts.
      await job.until(() => job.stderr().includes('--metrics-linger'));
      const url = /^nas-ctl metrics on (\S+)$/m.exec(job.stderr())?.[1] ?? '';
      const scrape = await scrapeMetrics(url);
      const p = 'cellsearch_controller_';
      expect(scrape.value(`${p}trials_finished_total`, { status: 'succeeded' })).toBe(2);
      expect(scrape.value(`${p}queued_trials`)).toBe(0);
      expect(scrape.value(`${p}best_reward`)).toBeGreaterThanOrEqual(0);
      const sentAt = Date.now();
      process.kill(-job.pid, 'SIGINT');
      const end = await job.ended;
      expect(end.at - sentAt).toBeLessThan(PROMPTLY_MS);
      expect(end.code, job.stderr()).toBe(0);
      await expect(fetch(url)).rejects.toThrow();
    },
    SLOW,
  );

  it(
    'ends with a summary event naming SIGINT when Ctrl-C stops the search',
    async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-summary-')), 'run');
      const job = startSearchJob([
        ...['--strategy', 'random', '--trials', '100', '--local-trainers', '1'],
        ...['--run-dir', dir, ...TINY],
      ]);
      await job.until(() => job.events.some((e) => e.type === 'trial-finished'));
      process.kill(-job.pid, 'SIGINT');
      const end = await job.ended;
      expect(end.code).toBe(128 + constants.signals.SIGINT);
      const summary = job.events.at(-1);
      expect(summary).toMatchObject({ type: 'summary', stopReason: 'SIGINT', runDir: dir });
      expect(summary).toHaveProperty('trials.succeeded');
      expect(summary).toHaveProperty('durationSeconds');
    },
    SLOW,
  );
});

describe('nas-ctl train --json', () => {
  it(
    'resolves --skeleton auto against the dataset and ends stdout with a summary event',
    async () => {
      const out = join(await mkdtemp(join(tmpdir(), 'cellsearch-summary-')), 'model');
      const ran = await nasCtl(
        ...['train', '--genotype', 'nasnet-a', '--skeleton', 'auto', '--json', '--out', out],
        ...TINY,
      );
      expect(ran.code, ran.stderr).toBe(0);
      const last: unknown = JSON.parse(ran.stdout.trimEnd().split('\n').at(-1) ?? '');
      expect(last).toMatchObject({
        type: 'summary',
        command: 'train',
        outDir: out,
        network: { cells: 1, filters: 24, skeleton: 'cifar' },
        status: 'succeeded',
        stopReason: 'done',
        reason: '',
        epochs: 1,
      });
      expect(last).toHaveProperty('bestValidationAccuracy');
      expect(last).not.toHaveProperty('bestValidationAccuracy', null);
    },
    SLOW,
  );

  it('shows auto as the --skeleton default of train and search', async () => {
    for (const command of ['train', 'search']) {
      const help = await nasCtl(command, '--help');
      const text = help.stdout.replace(/\s+/g, ' ');
      expect(text).toMatch(
        /--skeleton <kind> [^-]*\(choices: "auto", "cifar", "imagenet", default: "auto"\)/,
      );
    }
  });
});
