import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cellsearch-cli-'));
});

describe('nas-ctl genotype show', () => {
  it('reports the paper size of NASNet-A mobile (4 @ 1056, 224 px, 1000 classes)', async () => {
    const out = await nasCtl(
      'genotype',
      'show',
      'nasnet-a',
      '--cells',
      '4',
      '--filters',
      '1056',
      '--image',
      '224',
      '--classes',
      '1000',
      '--json',
    );
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as {
      network: { skeleton: string };
      complexity: { params: number; multAdds: number };
    };
    expect(report.network.skeleton).toBe('imagenet');
    expect(Math.abs(report.complexity.params / 5.3e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(report.complexity.multAdds / 564e6 - 1)).toBeLessThan(0.01);
  });

  it('prints both cells and the size as text', async () => {
    const out = await nasCtl('genotype', 'show', 'nasnet-a');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('normal cell');
    expect(out.stdout).toContain('reduction cell');
    expect(out.stdout).toMatch(/parameters:\s+3,\d{3},\d{3}/);
    expect(out.stdout).toContain('cifar skeleton');
  });

  it('prints DOT', async () => {
    const out = await nasCtl('genotype', 'show', 'nasnet-a', '--dot');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^digraph "nasnet-a" \{/);
  });

  it('names the bad setting', async () => {
    const out = await nasCtl('genotype', 'show', 'nasnet-a', '--filters', '1000');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('filters');
    expect(out.stderr).toContain('1000');
  });

  it('rejects an unknown name or missing file in one line', async () => {
    const out = await nasCtl('genotype', 'show', 'nasnet-z');
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('nasnet-z');
  });

  it('rejects a bad flag value with exit code 2', async () => {
    const out = await nasCtl('genotype', 'show', 'nasnet-a', '--cells', 'four');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--cells');
  });
});

describe('nas-ctl genotype validate', () => {
  it('accepts a valid file', async () => {
    const file = join(dir, 'good.json');
    await writeFile(file, JSON.stringify(NASNET_A));
    const out = await nasCtl('genotype', 'validate', file);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('valid');
  });

  it('prints every problem of a broken file and exits non-zero', async () => {
    const broken = structuredClone(NASNET_A) as unknown as {
      normal: { blocks: Record<string, unknown>[] };
      reduction: { blocks: Record<string, unknown>[] };
    };
    broken.normal.blocks[1]!.opA = 'sep_conv_9x9';
    broken.reduction.blocks[2]!.inputB = 6;
    broken.reduction.blocks[4]!.combine = 'multiply';
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(broken));
    const out = await nasCtl('genotype', 'validate', file);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('normal.blocks[1].opA');
    expect(out.stderr).toContain('sep_conv_9x9');
    expect(out.stderr).toContain('reduction.blocks[2].inputB');
    expect(out.stderr).toContain('reduction.blocks[4].combine');
  });

  it('names a file that is not JSON', async () => {
    const file = join(dir, 'not-json.json');
    await writeFile(file, '{ "normal": ');
    const out = await nasCtl('genotype', 'validate', file);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('not-json.json');
    expect(out.stderr).toContain('not valid JSON');
  });
});

describe('nas-ctl genotype sample', () => {
  it('prints the same valid genotype for the same seed', async () => {
    const a = await nasCtl('genotype', 'sample', '--seed', '11');
    const b = await nasCtl('genotype', 'sample', '--seed', '11');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const file = join(dir, 'sampled.json');
    await writeFile(file, a.stdout);
    expect((await nasCtl('genotype', 'validate', file)).code).toBe(0);
  });
});
