import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { classCounts } from '../../trainer/data/image-dataset.ts';
import { loadDataset } from '../../trainer/data/load-dataset.ts';

/** Where Debian's dataset-fashion-mnist package installs the four gzipped IDX files. */
const DIR = '/usr/share/datasets/fashion-mnist';
/** Absent here, the test is skipped; in CI (which installs the package) it runs and fails instead. */
const present = existsSync(`${DIR}/train-images-idx3-ubyte.gz`) || process.env.CI !== undefined;

describe('Fashion-MNIST from Debian', () => {
  it.skipIf(!present)('reads 60,000 + 10,000 28x28 images with balanced labels', async () => {
    const data = await loadDataset(parseDatasetSpec(`fashion-mnist:${DIR}`));
    expect(data.train.shape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(data.train.count).toBe(60_000);
    expect(data.test?.count).toBe(10_000);
    expect(classCounts(data.train, 10)).toEqual(new Array<number>(10).fill(6000));
    expect(data.classNames?.[9]).toBe('Ankle boot');
  });
});
