/**
 * `nas-ctl train` on a dataset it cannot read (issue #11): one readable error line naming the
 * dataset and the file at fault, exit code 1, and no second line about the trainer process.
 * Real nas-ctl and nas-trainer processes; the dataset is read before any backend loads.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';

describe('nas-ctl train on an unreadable dataset', () => {
  it('fails in one line naming the dataset and the missing file', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cellsearch-train-')), 'out');
    const run = await nasCtl(
      'train',
      '--genotype',
      'nasnet-a',
      '--dataset',
      'cifar10:/nope',
      '--backend',
      'wasm',
      '--out',
      out,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: dataset cifar10:/nope: cannot read /nope/data_batch_1.bin: missing CIFAR-10 batch\n',
    );
  }, 120_000);
});
