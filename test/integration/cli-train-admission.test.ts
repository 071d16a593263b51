/**
 * `nas-ctl train` refuses, before it starts a trainer, a network size out of range and a trial
 * that cannot fit this machine's default memory limit, each with one line naming what is wrong.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';

async function outDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cellsearch-admission-')), 'run');
}

describe('nas-ctl train admission', () => {
  it('refuses --size 1000@24 with the range of N', async () => {
    const out = await outDir();
    const result = await nasCtl(
      'train',
      '--genotype',
      'nasnet-a',
      '--size',
      '1000@24',
      '--out',
      out,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cells: expected an integer in 1\.\.20 .*got number 1000/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a trial too big for this machine before starting a trainer', async () => {
    const out = await outDir();
    const dataset = 'synthetic:size=512,train=1000000';
    const result = await nasCtl(
      'train',
      '--genotype',
      'nasnet-a',
      '--dataset',
      dataset,
      '--out',
      out,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the trial needs about [\d.]+ TiB \(dataset 1\.43 TiB, /);
    expect(result.stderr).toContain("more than this machine's default trainer memory limit");
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});
