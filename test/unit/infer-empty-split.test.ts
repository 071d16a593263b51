/**
 * An empty split is refused before anything runs on it, in one line naming --split and --dataset:
 * an MNIST folder whose test files hold no images (loadSplitFor), and evaluateModel given no
 * images (which would otherwise report a loss of 0/0).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabels, createSplit } from '../../trainer/data/image-dataset.ts';
import { loadSplitFor } from '../../trainer/infer/dataset-split.ts';
import { evaluateModel } from '../../trainer/infer/run-model.ts';
import type { SavedModel } from '../../trainer/infer/saved-model.ts';
import { tf } from '../../trainer/tf.ts';
import { loadTestBackend } from '../fixtures/test-backend.ts';

const SHAPE = { height: 4, width: 3, channels: 1 } as const;

/** An unsigned-byte IDX file: magic 0x0000080N, big-endian dims, then the data. */
function idx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 + dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** MNIST's four files with 3 training images of 4x3 and an empty test split. */
async function mnistWithoutTestImages(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-empty-split-')), 'mnist');
  await mkdir(dir);
  await writeFile(join(dir, 'train-images-idx3-ubyte'), idx([3, 4, 3], new Uint8Array(36)));
  await writeFile(join(dir, 'train-labels-idx1-ubyte'), idx([3], Uint8Array.from([1, 2, 3])));
  await writeFile(join(dir, 't10k-images-idx3-ubyte'), idx([0, 4, 3], new Uint8Array(0)));
  await writeFile(join(dir, 't10k-labels-idx1-ubyte'), idx([0], new Uint8Array(0)));
  return dir;
}

/** A real 10-class softmax model on 4x3x1 images, in memory. */
function tinyModel(): SavedModel {
  const input = tf.input({ shape: [SHAPE.height, SHAPE.width, SHAPE.channels] });
  const flat = tf.layers.flatten().apply(input);
  const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(flat);
  if (!(output instanceof tf.SymbolicTensor)) throw new Error('one output expected');
  const model = tf.model({ inputs: input, outputs: output });
  return { model, logits: null, input: SHAPE, classes: 10, dispose: () => model.dispose() };
}

const backend = await loadTestBackend();

describe.skipIf(backend === null)('an empty split', () => {
  let saved: SavedModel;
  beforeAll(() => {
    saved = tinyModel();
  });
  afterAll(() => saved.dispose());

  it('loadSplitFor refuses a test split with no images, naming --split and --dataset', async () => {
    const dir = await mnistWithoutTestImages();
    await expect(loadSplitFor(saved, `mnist:${dir}`, 'test', true)).rejects.toThrow(
      `dataset mnist:${dir}: its test split has no images; choose another --split or --dataset`,
    );
    const train = await loadSplitFor(saved, `mnist:${dir}`, 'train', true);
    expect(train.data.count).toBe(3);
  });

  it('evaluateModel refuses no images instead of reporting loss 0/0', async () => {
    const empty = createSplit(SHAPE, new Uint8Array(0), createLabels(10, 0));
    await expect(evaluateModel(saved, empty, 8)).rejects.toThrow(
      'nothing to evaluate: the split has no images; choose another --split or --dataset',
    );
  });
});
