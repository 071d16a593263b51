/**
 * `nas-ctl train` saves a standard TensorFlow.js LayersModel: tfjs's own loader reads it (no
 * cellsearch code), and `nas-ctl evaluate` / `nas-ctl predict` run it in a trainer process, with
 * the trainer's own test accuracy, and name a missing or corrupt model, an unreadable image and a
 * dataset of another image size in one line each.
 */
import { cp, mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../trainer/tf.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { eachLayerClass, KERAS_CLASSES } from '../fixtures/layers-model-helpers.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

const DATASET = 'synthetic:classes=4,size=16,train=256,test=64';
const TINY = [
  '--genotype',
  'nasnet-a',
  '--dataset',
  DATASET,
  '--cells',
  '1',
  '--filters',
  '48',
  '--batch-size',
  '16',
  '--validation-size',
  '64',
  '--steps-per-epoch',
  '3',
  '--epochs',
  '1',
  ...TEST_BACKEND_FLAG,
];

/** A load handler made of tfjs's own model.json reader and the files, nothing of cellsearch's. */
function plainFileHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const group = manifest[0];
        if (group === undefined) throw new Error('no weights group');
        const bytes = await readFile(join(dir, group.paths[0] ?? ''));
        const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        return [group.weights, data];
      });
    },
  };
}

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)(`nas-ctl predict and evaluate on ${TEST_BACKEND}`, () => {
  let root: string;
  let model: string;
  let testAccuracy: number;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cellsearch-predict-'));
    model = join(root, 'model');
    const trained = await nasCtl('train', ...TINY, '--out', model);
    expect(trained.code, trained.stderr).toBe(0);
    const metrics = JSON.parse(await readFile(join(model, 'metrics.json'), 'utf8')) as {
      result: { testAccuracy: number };
    };
    testAccuracy = metrics.result.testAccuracy;
    const pixels = Buffer.from(Array.from({ length: 20 * 30 * 3 }, (_, i) => (i * 7) % 256));
    const raw = { raw: { width: 20, height: 30, channels: 3 as const } };
    await sharp(pixels, raw).png().toFile(join(root, 'a.png'));
    await sharp(pixels, raw).jpeg().toFile(join(root, 'b.jpg'));
    await writeFile(join(root, 'bad.png'), 'not an image');
  }, 120_000);

  it('saves a model that tfjs loads with its own reader: stock Keras layers, 4 probabilities', async () => {
    const loaded = await tf.loadLayersModel(plainFileHandler(model));
    for (const className of eachLayerClass(loaded)) expect(KERAS_CLASSES).toContain(className);
    expect(loaded.inputs[0]?.shape).toEqual([null, 16, 16, 3]);
    const probs = tf.tidy(() => {
      const out = loaded.predict(tf.fill([2, 16, 16, 3], 128));
      if (!(out instanceof tf.Tensor)) throw new Error('one output expected');
      return out.arraySync() as number[][];
    });
    for (const row of probs) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    loaded.dispose();
  });

  it('evaluates on the test split with the accuracy the trainer measured', async () => {
    const json = await nasCtl(
      'evaluate',
      '--model',
      model,
      '--dataset',
      DATASET,
      '--json',
      ...TEST_BACKEND_FLAG,
    );
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as {
      accuracy: number;
      loss: number;
      count: number;
      split: string;
    };
    expect(result.count).toBe(64);
    expect(result.split).toBe('test');
    expect(Math.abs(result.accuracy - testAccuracy)).toBeLessThanOrEqual(1 / 64);
    expect(result.loss).toBeGreaterThan(0);
    const text = await nasCtl(
      'evaluate',
      '--model',
      model,
      '--dataset',
      DATASET,
      ...TEST_BACKEND_FLAG,
    );
    expect(text.stdout).toMatch(
      /^accuracy \d+\.\d\d% \(\d+\/64\), loss \d+\.\d{4} on synthetic:.* test split\n$/,
    );
    // Without --dataset: the dataset model.json records, the one it was trained on.
    const recorded = await nasCtl('evaluate', '--model', model, '--json', ...TEST_BACKEND_FLAG);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(JSON.parse(recorded.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('asks for --dataset, naming the model folder, when the model records none or a bad one', async () => {
    const json = JSON.parse(await readFile(join(model, 'model.json'), 'utf8')) as {
      userDefinedMetadata: { cellsearch: Record<string, unknown> };
    };
    for (const [name, dataset, message] of [
      ['no-dataset', undefined, 'records no dataset'],
      ['bad-dataset', 'nope:x', 'records dataset "nope:x", which is not a dataset spec'],
    ] as const) {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      await cp(join(model, 'weights.bin'), join(dir, 'weights.bin'));
      const cellsearch = { ...json.userDefinedMetadata.cellsearch, dataset };
      const edited = { ...json, userDefinedMetadata: { cellsearch } };
      await writeFile(join(dir, 'model.json'), JSON.stringify(edited));
      const out = await nasCtl('evaluate', '--model', dir, ...TEST_BACKEND_FLAG);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`the model in ${dir} ${message}`);
      expect(out.stderr).toContain('--dataset');
    }
  });

  it('predicts image files, one line each, and a dataset split as JSON lines', async () => {
    const files = [join(root, 'a.png'), join(root, 'b.jpg')];
    const text = await nasCtl('predict', '--model', model, ...files, ...TEST_BACKEND_FLAG);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) =>
      expect(line).toMatch(new RegExp(`^${files[i]}  [0-3] grating-[0-3]  [01]\\.\\d{4}$`)),
    );
    const json = await nasCtl(
      'predict',
      '--model',
      model,
      '--dataset',
      'synthetic:classes=4,size=16,train=4,test=3',
      '--json',
      ...TEST_BACKEND_FLAG,
    );
    expect(json.code, json.stderr).toBe(0);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { input: string; probabilities: number[]; label: number });
    expect(rows.map((r) => r.input)).toEqual(['test[0]', 'test[1]', 'test[2]']);
    for (const r of rows) expect(r.probabilities).toHaveLength(4);
  });

  it('names a missing or corrupt model folder', async () => {
    const missing = await nasCtl(
      'predict',
      '--model',
      join(root, 'nowhere'),
      join(root, 'a.png'),
      ...TEST_BACKEND_FLAG,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `${join(root, 'nowhere', 'model.json')}: missing the model description`,
    );
    const corrupt = join(root, 'corrupt');
    await mkdir(corrupt);
    await writeFile(join(corrupt, 'model.json'), '{"modelTopology": ');
    const bad = await nasCtl(
      'evaluate',
      '--model',
      corrupt,
      '--dataset',
      DATASET,
      ...TEST_BACKEND_FLAG,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/corrupt\/model\.json: not JSON/);
  });

  it('names an unreadable image, a dataset of another size, and a missing input', async () => {
    const image = await nasCtl(
      'predict',
      '--model',
      model,
      join(root, 'bad.png'),
      ...TEST_BACKEND_FLAG,
    );
    expect(image.code).toBe(1);
    expect(image.stderr).toContain(`${join(root, 'bad.png')}: cannot be read as an image`);
    const size = await nasCtl(
      'evaluate',
      '--model',
      model,
      '--dataset',
      'synthetic:classes=4,size=32',
      ...TEST_BACKEND_FLAG,
    );
    expect(size.code).toBe(1);
    expect(size.stderr).toMatch(/has 32x32x3 images; the model takes 16x16x3/);
    const both = await nasCtl(
      'predict',
      '--model',
      model,
      join(root, 'a.png'),
      '--dataset',
      DATASET,
    );
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('predict takes image files or --dataset <spec>, not both');
    // No images and no --dataset: the test split of the dataset the model was trained on.
    const recorded = await nasCtl('predict', '--model', model, '--json', ...TEST_BACKEND_FLAG);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout.trim().split('\n')).toHaveLength(64);
  });
});
