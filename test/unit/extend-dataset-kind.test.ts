/**
 * A dataset kind added in test code only, through the public registries: `stripes` (grey 8x8
 * images, horizontal stripes for class 0 and vertical ones for class 1) joins copies of the
 * built-in kind table and reader table. Its specs parse and fail like the built-ins', its facts
 * come from its entry, its reader gives the ImageDataset the trainer trains on, and a tiny network
 * takes a training step on it.
 */
import { describe, expect, it } from 'vitest';
import { datasetKind } from '../../shared/dataset-kind.ts';
import { datasetRegistry } from '../../shared/dataset-registry.ts';
import { datasetFacts } from '../../shared/dataset-facts.ts';
import { DATASET_KIND_TABLE, parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork } from '../../shared/network-plan.ts';
import { createRng } from '../../shared/rng.ts';
import { integer } from '../../shared/schema.ts';
import { channelStats } from '../../trainer/data/channel-stats.ts';
import {
  createLabels,
  createSplit,
  type ImageDataset,
  type ImageSplit,
} from '../../trainer/data/image-dataset.ts';
import {
  readDataset,
  readDatasetWith,
  READERS,
  type DatasetReaders,
} from '../../trainer/data/read-dataset.ts';
import { buildNetwork } from '../../trainer/network/network.ts';
import { NO_AUGMENTATION } from '../../trainer/train/batch-images.ts';
import { tensorBatch } from '../../trainer/train/batches.ts';
import { momentumOptimizer, trainStep } from '../../trainer/train/train-step.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';
import { violationsOf } from '../fixtures/violations-of.ts';

/** The side of a stripes image, in pixels. */
const SIDE = 8;

/** The toy kind: no folder, one option, and facts that follow from it. */
const STRIPES = datasetKind({
  dir: false,
  options: { count: integer(2, 1000, 'images').default(8) },
  facts: (spec) => ({
    image: { height: SIDE, width: SIDE, channels: 1 },
    classes: 2,
    trainCount: spec.count,
    testCount: 0,
  }),
});

const TABLE = { ...DATASET_KIND_TABLE, stripes: STRIPES };
const REGISTRY = datasetRegistry(TABLE);

/** Pixel (y, x) of an image of class `label`: white on even rows (0) or even columns (1). */
function stripePixel(label: number, y: number, x: number): number {
  return (label === 0 ? y : x) % 2 === 0 ? 255 : 0;
}

/** `count` stripes images, classes alternating from 0. */
function generateStripes(spec: { readonly count: number }): ImageDataset {
  const shape = { height: SIDE, width: SIDE, channels: 1 };
  const images = new Uint8Array(spec.count * SIDE * SIDE);
  const labels = createLabels(2, spec.count);
  for (let i = 0; i < spec.count; i++) {
    labels[i] = i % 2;
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++) images[(i * SIDE + y) * SIDE + x] = stripePixel(i % 2, y, x);
  }
  const train = createSplit(shape, images, labels);
  return { name: 'stripes', classCount: 2, classNames: ['horizontal', 'vertical'], train };
}

const READERS_WITH_STRIPES: DatasetReaders<typeof TABLE> = {
  ...READERS,
  stripes: (spec) => Promise.resolve(generateStripes(spec)),
};

describe('a dataset kind added through the registries', () => {
  it('parses its specs, defaults and all, and formats them back', () => {
    expect(REGISTRY.parse('stripes')).toEqual({ kind: 'stripes', count: 8 });
    const spec = REGISTRY.parse(' stripes:count=6 ');
    expect(spec).toEqual({ kind: 'stripes', count: 6 });
    expect(REGISTRY.format(spec)).toBe('stripes:count=6');
    expect(REGISTRY.forms).toContain('stripes[:count=N]');
    expect(REGISTRY.kinds).toEqual([...Object.keys(DATASET_KIND_TABLE), 'stripes']);
  });

  it('refuses a bad spec of it as the built-ins refuse theirs, naming the option', () => {
    expect(violationsOf(() => REGISTRY.parse('stripes:count=1'))).toEqual([
      { path: 'count', message: 'expected an integer in 2..1000 (images), got number 1' },
    ]);
    expect(() => REGISTRY.parse('stripes:count=many')).toThrow('dataset spec "stripes:count=many"');
    expect(violationsOf(() => REGISTRY.parse('stripes:cuont=4'))).toEqual([
      {
        path: 'cuont',
        message: 'unknown option "cuont" for stripes (did you mean "count"?); allowed: count',
      },
    ]);
    expect(() => REGISTRY.parse('stripe')).toThrow(/did you mean "stripes"\?.*stripes\[:count=N\]/);
    // The same kind of message a built-in kind gives for the same mistake.
    expect(violationsOf(() => parseDatasetSpec('synthetic:classes=1'))).toEqual([
      { path: 'classes', message: 'expected an integer in 2..1000 (classes), got number 1' },
    ]);
  });

  it('parses its specs in JSON form through the registry schema', () => {
    expect(REGISTRY.schema.parse({ kind: 'stripes', count: 4 })).toEqual({
      kind: 'stripes',
      count: 4,
    });
    expect(REGISTRY.schema.safeParse({ kind: 'stripes', count: 0 }).success).toBe(false);
  });

  it('leaves the built-in registry and kinds as they were', () => {
    expect(() => parseDatasetSpec('stripes')).toThrow('unknown dataset kind "stripes"');
    for (const text of ['synthetic:classes=3', 'cifar100:/d,labels=coarse', 'folder:/f,size=9']) {
      const spec = REGISTRY.parse(text);
      expect(spec).toEqual(parseDatasetSpec(text));
      expect(REGISTRY.facts(spec)).toEqual(datasetFacts(parseDatasetSpec(text)));
    }
  });

  it('states its facts from its entry', () => {
    expect(REGISTRY.facts(REGISTRY.parse('stripes:count=6'))).toEqual({
      image: { height: 8, width: 8, channels: 1 },
      classes: 2,
      trainCount: 6,
      testCount: 0,
    });
  });

  it('reads into an ImageDataset of the shape its facts state, with the images its spec says', async () => {
    const spec = REGISTRY.parse('stripes:count=6');
    const data = await readDatasetWith(READERS_WITH_STRIPES, spec);
    const facts = REGISTRY.facts(spec);
    expect(data.classCount).toBe(facts.classes);
    expect(data.train.count).toBe(facts.trainCount);
    expect(data.train.shape).toEqual(facts.image);
    expect(data.test).toBeUndefined();
    expect([...data.train.labels]).toEqual([0, 1, 0, 1, 0, 1]);
    expect(imageAt(data.train, 0)).toEqual(rows(['11111111', '00000000']));
    expect(imageAt(data.train, 1)).toEqual(rows(['10101010', '10101010']));
  });

  it('reads a built-in kind through the extended reader table as readDataset does', async () => {
    const text = 'synthetic:classes=2,size=8,train=4,test=2,seed=5';
    const spec = REGISTRY.parse(text);
    expect(await readDatasetWith(READERS_WITH_STRIPES, spec)).toEqual(
      await readDataset(parseDatasetSpec(text)),
    );
  });
});

/** The pixels of example `i` of a one-channel split, as rows of 0 and 1 (255 -> 1). */
function imageAt(split: ImageSplit, i: number): string[] {
  const size = SIDE * SIDE;
  const image = split.images.subarray(i * size, (i + 1) * size);
  return Array.from({ length: SIDE }, (_, y) =>
    Array.from(image.subarray(y * SIDE, (y + 1) * SIDE), (v) => (v === 255 ? '1' : '0')).join(''),
  );
}

/** An 8-row image whose rows repeat `pattern` (two rows) four times. */
function rows(pattern: readonly [string, string]): string[] {
  return Array.from({ length: SIDE }, (_, y) => pattern[y % 2] ?? '');
}

const testBackend = await loadTestBackend(); // null: not loadable here (skipped outside CI)

describe.skipIf(testBackend === null)(`training on the added kind on ${TEST_BACKEND}`, () => {
  it('takes a finite training step with a network planned from its facts', async () => {
    const spec = REGISTRY.parse('stripes:count=4');
    const { image, classes } = REGISTRY.facts(spec);
    const data = await readDatasetWith(READERS_WITH_STRIPES, spec);
    const plan = planNetwork(NASNET_A, {
      cells: 1,
      filters: 24,
      imageSize: image.height,
      channels: image.channels,
      classes: classes ?? 0,
      skeleton: 'cifar',
      auxHead: false,
    });
    const network = buildNetwork(plan, { seed: 1, dropout: 0, dropPathKeep: 1 });
    const optimizer = momentumOptimizer(network, 0.1, 0.9);
    const rng = createRng(2);
    const batch = tensorBatch(
      data.train,
      [0, 1, 2, 3],
      channelStats(data.train),
      NO_AUGMENTATION,
      rng,
    );
    const settings = { labelSmoothing: 0, auxWeight: 0, weightDecay: 0, gradClipNorm: 5 };
    const outcome = trainStep(network, optimizer, batch, settings, 0);
    expect(Number.isFinite(outcome.loss)).toBe(true);
    expect(outcome.loss).toBeGreaterThan(0);
    expect(outcome.correct).toBeLessThanOrEqual(4);
    [network, optimizer, batch.images, batch.labels].forEach((t) => t.dispose());
  });
});
