/**
 * A search that cannot train fails loudly (issue #11): real nas-ctl and local nas-trainer processes.
 * An unreadable --dataset stops it before any trial with one line naming the flag and the trainer's
 * reason, and leaves no run store behind; a search whose every trial fails ends with a summary and
 * exit code 1; the trainers' logs go to the run directory, never to the terminal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';

const SLOW = 120_000;

/** One wasm trainer, a tiny synthetic search: only what the test changes differs. */
const BASE = ['--backend', 'wasm', '--local-trainers', '1', '--strategy', 'random', '--json'];

async function runDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cellsearch-failures-')), 'run');
}

describe('nas-ctl search that cannot train', () => {
  it(
    'refuses an unreadable --dataset before any trial, naming the flag, the trainer and its reason',
    async () => {
      const dir = await runDir();
      const out = await nasCtl(
        'search',
        ...BASE,
        '--dataset',
        'cifar10:/nope',
        '--trials',
        '2',
        '--run-dir',
        dir,
      );
      expect(out.code).toBe(1);
      const lines = out.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^error: --dataset cifar10:\/nope: trainer 127\.0\.0\.1:\d+: cannot read \/nope\/data_batch_1\.bin: missing CIFAR-10 batch; no trial ran$/,
      );
      // Only the fleet's events (the local trainer joined), no trial event, no run store: a later
      // search in the same directory starts afresh.
      const types = out.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { type: string }).type);
      expect(types).toEqual(['trainer-joined']);
      expect(existsSync(join(dir, 'run.sqlite'))).toBe(false);
      const log = readFileSync(join(dir, 'logs', 'trainer-1.log'), 'utf8');
      expect(log).toContain('"msg":"dataset check refused"');
    },
    SLOW,
  );

  it(
    'ends with a summary and exit code 1 when every trial fails, with no raw log line on the terminal',
    async () => {
      const dir = await runDir();
      // Every candidate of 6@3072 on 64x64 images at batch 512 needs terabytes: each trial fails.
      const out = await nasCtl(
        'search',
        ...BASE.filter((a) => a !== '--json'),
        '--dataset',
        'synthetic:classes=2,size=64,train=64,test=8',
        '--size',
        '6@3072',
        '--batch-size',
        '512',
        '--validation-size',
        '8',
        '--trials',
        '3',
        '--run-dir',
        dir,
      );
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/^dataset: 64x64x3 images, 2 classes, 64 training and 8 test/m);
      expect(out.stdout).toContain('summary: 3 trials finished: 0 succeeded, 3 failed\n');
      expect(out.stdout).toMatch(/\n {2}3 x the trial needs about .* \(numbers vary\)\n/);
      expect(out.stdout).toContain('every trial failed');
      expect(`${out.stdout}${out.stderr}`).not.toContain('{"level"');
      expect(existsSync(join(dir, 'logs', 'trainer-1.log'))).toBe(true);
    },
    SLOW,
  );
});
