/**
 * `nas-ctl train`'s training flags against its dataset (issue #10): `--validation-size 0` trains
 * and reports no validation accuracy instead of crashing; a cutout larger than the images, a
 * validation split that leaves no training example, or an output folder that cannot be made are
 * refused before a trainer starts. Real nas-ctl and trainer processes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

const TINY = [
  '--genotype',
  'nasnet-a',
  '--dataset',
  'synthetic:classes=2,size=8,train=32,test=8',
  '--cells',
  '1',
  '--filters',
  '24',
  '--batch-size',
  '8',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '2',
  ...TEST_BACKEND_FLAG,
];

const newOut = async (): Promise<string> =>
  join(await mkdtemp(join(tmpdir(), 'cellsearch-train-flags-')), 'model');

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)('nas-ctl train with --validation-size 0', () => {
  it('trains without a validation split and says so instead of crashing', async () => {
    const out = await newOut();
    const result = await nasCtl('train', ...TINY, '--validation-size', '0', '--out', out);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/epoch 1\/1 .* no validation split/);
    expect(result.stdout).toMatch(/done in [\d.]+s: no validation split, test accuracy/);
    expect(existsSync(join(out, 'metrics.json'))).toBe(true);
  });
});

describe('nas-ctl train refuses training flags its dataset cannot take', () => {
  it.each([
    [
      ['--cutout', '1000', '--validation-size', '8'],
      /--cutout: 1000 is larger than the dataset's 8x8 images; allowed: 0 \(off\) to 8/,
    ],
    [
      ['--validation-size', '32'],
      /--validation-size: 32 leaves no training example of the 32 in the training split; allowed: 0 to 31/,
    ],
    [
      ['--validation-size', '8', '--out', '/proc/nope/model'],
      /--out \/proc\/nope\/model: cannot create \/proc\/nope/,
    ],
  ])('%j', async (args, says) => {
    const out = await newOut();
    const result = await nasCtl('train', ...TINY, '--out', out, ...args);
    expect(result.stderr).toMatch(says);
    expect(result.stderr).not.toMatch(/training on|internal error/);
    expect(result.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});
