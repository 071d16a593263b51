import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { resolveDatasetUnderRoot } from '../../trainer/data/data-root.ts';
import { DatasetOutsideRootError } from '../../trainer/data/errors.ts';

describe('resolveDatasetUnderRoot', () => {
  it('resolves a relative folder against the working directory without a root', async () => {
    const spec = parseDatasetSpec('folder:imgs/train,size=16');
    expect(spec).toMatchObject({ dir: 'imgs/train' });
    expect(await resolveDatasetUnderRoot(spec, undefined)).toEqual({
      kind: 'folder',
      dir: resolve('imgs/train'),
      size: 16,
    });
    const absolute = parseDatasetSpec('mnist:/etc');
    expect(await resolveDatasetUnderRoot(absolute, undefined)).toEqual(absolute);
  });

  it('resolves a relative folder under the root, options kept', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cellsearch-root-'));
    const spec = parseDatasetSpec('cifar100:c100,labels=coarse');
    expect(await resolveDatasetUnderRoot(spec, root)).toEqual({
      kind: 'cifar100',
      dir: join(root, 'c100'),
      labels: 'coarse',
    });
    const inside = parseDatasetSpec(`mnist:${join(root, 'm')}`);
    expect(await resolveDatasetUnderRoot(inside, root)).toEqual(inside);
  });

  it('leaves a spec without a folder alone', async () => {
    const spec = parseDatasetSpec('synthetic:classes=3');
    expect(await resolveDatasetUnderRoot(spec, '/srv/data')).toBe(spec);
    expect(await resolveDatasetUnderRoot(spec, undefined)).toBe(spec);
  });

  it('refuses folders outside the root: through .., absolute, or a symbolic link', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cellsearch-root-'));
    await mkdir(join(root, 'real'));
    await symlink(tmpdir(), join(root, 'escape'));
    for (const text of [
      'cifar10:../elsewhere',
      'mnist:/etc',
      'folder:escape',
      'cifar10:real/../..',
    ]) {
      await expect(resolveDatasetUnderRoot(parseDatasetSpec(text), root)).rejects.toBeInstanceOf(
        DatasetOutsideRootError,
      );
    }
    const ok = await resolveDatasetUnderRoot(parseDatasetSpec('cifar10:real/../real'), root);
    expect(ok).toMatchObject({ dir: join(root, 'real') });
  });
});
