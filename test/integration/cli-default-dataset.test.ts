/**
 * The embedded Fashion-MNIST subset is the default dataset of `nas-ctl search` and `nas-ctl train`,
 * and a trainer started from any working directory finds it. Real nas-ctl and trainer processes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

const BIN = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
const backend = await loadTestBackend(TEST_BACKEND, false);

/** The `(default: ...)` that `nas-ctl <command> --help` states for `--dataset`. */
async function datasetDefault(command: string): Promise<string | undefined> {
  const out = await nasCtl(command, '--help');
  const text = out.stdout.replace(/\s+/g, ' ');
  const at = text.indexOf('--dataset <spec>');
  const next = text.indexOf(' --', at + 1);
  return /\(default: ([^)]+)\)/.exec(text.slice(at, next))?.[1];
}

describe('the default dataset', () => {
  it('is fashion-mnist-small for search and train', async () => {
    expect(await datasetDefault('search')).toBe('"fashion-mnist-small"');
    expect(await datasetDefault('train')).toBe('"fashion-mnist-small"');
  });

  it.skipIf(backend === null)(
    `trains nas-ctl train on it without --dataset, from another folder (${TEST_BACKEND})`,
    { timeout: 300_000 },
    async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cellsearch-default-dataset-'));
      const args = ['train', '--genotype', 'nasnet-a', '--size', '1@48', '--epochs', '1'];
      const small = ['--steps-per-epoch', '3', '--batch-size', '16', '--validation-size', '64'];
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [BIN, ...args, ...small, ...TEST_BACKEND_FLAG, '--out', 'model'],
        { cwd, encoding: 'utf8' },
      );
      expect(stdout).toContain('epochs on fashion-mnist-small');
      expect(stdout).toMatch(/epoch 1\/1 /);
    },
  );
});
