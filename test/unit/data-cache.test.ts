import { describe, expect, it } from 'vitest';
import { InvalidDatasetSpecError, MissingDatasetFileError } from '../../trainer/data/errors.ts';
import { clearDatasetCache, loadDataset } from '../../trainer/data/load-dataset.ts';

const SMALL = 'synthetic:classes=3,size=8,train=12,test=3,seed=2';

describe('loadDataset', () => {
  it('returns the same object for the same dataset, however the spec is spelled', async () => {
    const a = await loadDataset(SMALL);
    const b = await loadDataset('synthetic:seed=2,test=3,train=12,size=8,classes=3');
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
    expect(await loadDataset('synthetic:classes=3,size=8,train=12,test=3,seed=3')).not.toBe(a);
    clearDatasetCache();
    expect(await loadDataset(SMALL)).not.toBe(a);
  });

  it('shares one read between concurrent callers', async () => {
    clearDatasetCache();
    const [a, b] = await Promise.all([loadDataset(SMALL), loadDataset(SMALL)]);
    expect(b).toBe(a);
  });

  it('rejects bad specs and forgets failed reads', async () => {
    await expect(loadDataset('cifar11:/x')).rejects.toBeInstanceOf(InvalidDatasetSpecError);
    const missing = '/nonexistent/cellsearch-data';
    await expect(loadDataset(`cifar10:${missing}`)).rejects.toBeInstanceOf(MissingDatasetFileError);
    await expect(loadDataset(`cifar10:${missing}`)).rejects.toThrow(
      `${missing}/data_batch_1.bin: missing`,
    );
  });
});
