import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { MissingDatasetFileError } from '../../trainer/data/errors.ts';
import { clearDatasetCache, loadDataset } from '../../trainer/data/load-dataset.ts';

const SMALL = parseDatasetSpec('synthetic:classes=3,size=8,train=12,test=3,seed=2');

describe('loadDataset', () => {
  it('returns the same object for the same dataset, however the spec is spelled', async () => {
    const a = await loadDataset(SMALL);
    const b = await loadDataset(
      parseDatasetSpec('synthetic:seed=2,test=3,train=12,size=8,classes=3'),
    );
    const c = await loadDataset({
      kind: 'synthetic',
      classes: 3,
      size: 8,
      train: 12,
      test: 3,
      seed: 2,
    });
    expect(b).toBe(a);
    expect(c).toBe(a);
    const other = parseDatasetSpec('synthetic:classes=3,size=8,train=12,test=3,seed=3');
    expect(await loadDataset(other)).not.toBe(a);
    clearDatasetCache();
    expect(await loadDataset(SMALL)).not.toBe(a);
  });

  it('shares one read between concurrent callers', async () => {
    clearDatasetCache();
    const [a, b] = await Promise.all([loadDataset(SMALL), loadDataset(SMALL)]);
    expect(b).toBe(a);
  });

  it('forgets failed reads', async () => {
    const missing = parseDatasetSpec('cifar10:/nonexistent/cellsearch-data');
    await expect(loadDataset(missing)).rejects.toBeInstanceOf(MissingDatasetFileError);
    await expect(loadDataset(missing)).rejects.toThrow(
      '/nonexistent/cellsearch-data/data_batch_1.bin: missing',
    );
  });
});
