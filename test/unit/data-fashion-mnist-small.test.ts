/**
 * The embedded default dataset (datasets/fashion-mnist-small/): read by the IDX reader from the
 * repository's own folder, with the shape, counts and balanced labels its spec's facts promise, and
 * found from the module, whatever the working directory.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { datasetFacts } from '../../shared/dataset-facts.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { FASHION_MNIST_SMALL_DIR } from '../../trainer/data/fashion-mnist-small.ts';
import { classCounts } from '../../trainer/data/image-dataset.ts';
import { loadDataset } from '../../trainer/data/load-dataset.ts';

const SPEC = parseDatasetSpec('fashion-mnist-small');
const REPO = resolve(import.meta.dirname, '../..');

describe('fashion-mnist-small', () => {
  it('reads 6000 + 1000 28x28 greyscale images, 600 and 100 of each class', async () => {
    const data = await loadDataset(SPEC);
    expect(data.name).toBe('fashion-mnist-small');
    expect(data.classCount).toBe(10);
    expect(data.classNames?.[0]).toBe('T-shirt/top');
    expect(data.train.shape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(data.train.count).toBe(6000);
    expect(data.test?.count).toBe(1000);
    expect(classCounts(data.train, 10)).toEqual(new Array<number>(10).fill(600));
    if (data.test === undefined) throw new Error('no test split');
    expect(classCounts(data.test, 10)).toEqual(new Array<number>(10).fill(100));
    // Real photographs of clothes, not blank images: many grey levels, dark background.
    const levels = new Set(data.train.images.subarray(0, 28 * 28 * 50));
    expect(levels.size).toBeGreaterThan(200);
  });

  it('is what its spec facts say, so memory admission and --help need not read it', async () => {
    const data = await loadDataset(SPEC);
    expect(datasetFacts(SPEC)).toEqual({
      image: data.train.shape,
      classes: data.classCount,
      trainCount: data.train.count,
      testCount: data.test?.count,
    });
  });

  it('lives in the repository, found from the module rather than the working directory', async () => {
    expect(FASHION_MNIST_SMALL_DIR).toBe(resolve(REPO, 'datasets/fashion-mnist-small'));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const reader = pathToFileURL(resolve(REPO, 'trainer/data/read-dataset.ts')).href;
    const script = [
      `const { readDataset } = await import(${JSON.stringify(reader)});`,
      "const data = await readDataset({ kind: 'fashion-mnist-small' });",
      'console.log(process.cwd(), data.train.count, data.test.count);',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', tsx, '--input-type=module', '-e', script],
      { cwd: tmpdir(), encoding: 'utf8' },
    );
    expect(stdout.trim()).toBe(`${tmpdir()} 6000 1000`);
  });
});
