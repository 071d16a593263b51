/**
 * `nas-ctl export-model` writes Keras 3 `.keras` files: tiny networks trained for a step (every op
 * at stride 1 and 2, both skeletons, NASNet-A) load in Python Keras with `keras.saving.load_model`
 * and no custom objects, give tfjs' probabilities and logits on the same images to 1e-4, and hold
 * what Keras' own `model.save` writes for them (config.json layer by layer, the weights file's
 * groups). Bad input is one line naming what and where.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { KERAS_LAYER_KINDS } from '../../controller/export/keras-layer-kinds.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { modelFolder } from '../../trainer/network/model-files.ts';
import { tf } from '../../trainer/tf.ts';
import { EVERY_OP_A, EVERY_OP_B } from '../fixtures/every-op-genotypes.ts';
import { KERAS_CLASSES } from '../fixtures/layers-model-helpers.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import {
  KERAS_SKIP_REASON,
  kerasCheck,
  requireKerasPython,
  type KerasCheckResult,
} from '../fixtures/python-keras.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

/** One network to train, export and compare. */
interface Case {
  readonly label: string;
  readonly genotype: Genotype | 'nasnet-a';
  readonly skeleton: 'cifar' | 'imagenet';
  readonly size: number;
  /** F of N@F: the imagenet skeleton's stem cells need 96 or more. */
  readonly filters: number;
}

const CASES: readonly Case[] = [
  { label: 'every op (A), cifar', genotype: EVERY_OP_A, skeleton: 'cifar', size: 12, filters: 24 },
  { label: 'every op (B), cifar', genotype: EVERY_OP_B, skeleton: 'cifar', size: 12, filters: 24 },
  {
    label: 'NASNet-A, imagenet',
    genotype: 'nasnet-a',
    skeleton: 'imagenet',
    size: 32,
    filters: 96,
  },
];
const IMAGES = 6;
const TOLERANCE = 1e-4;

function trainArgs(c: Case, genotype: string, out: string): string[] {
  const dataset = `synthetic:classes=3,size=${c.size},train=32,test=16`;
  const tiny = ['--cells', '1', '--filters', String(c.filters), '--batch-size', '8'];
  const short = ['--validation-size', '8', '--steps-per-epoch', '2', '--epochs', '1', '--json'];
  const what = ['--genotype', genotype, '--dataset', dataset, '--skeleton', c.skeleton];
  return ['train', ...what, ...tiny, ...short, '--out', out, ...TEST_BACKEND_FLAG];
}

/** Pixel values 0..255, fixed, unlike any constant image. */
function pixels(c: Case): Float32Array {
  const n = IMAGES * c.size * c.size * 3;
  return Float32Array.from({ length: n }, (_, i) => (i * 37 + ((i * i) % 101)) % 256);
}

function maxAbsDiff(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  expect(b.length).toBe(a.length);
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - (b[i]?.[j] ?? NaN)))));
}

/** tfjs' probabilities and logits of the saved model in `dir` on `images`. */
async function tfjsOutputs(dir: string, c: Case, images: Float32Array): Promise<number[][][]> {
  const model = await tf.loadLayersModel(modelFolder(dir));
  const logits = tf.model({ inputs: model.inputs, outputs: model.getLayer('head.dense').output });
  const outputs = tf.tidy(() => {
    const x = tf.tensor4d(images, [IMAGES, c.size, c.size, 3]);
    return [model, logits].map((m) => (m.predict(x) as tf.Tensor).arraySync() as number[][]);
  });
  model.dispose();
  return outputs;
}

const testBackend = await loadTestBackend(TEST_BACKEND, false);
const skipReason = testBackend === null ? `no ${TEST_BACKEND} backend` : KERAS_SKIP_REASON;
const title = `nas-ctl export-model to Python Keras on ${TEST_BACKEND}`;

describe.skipIf(skipReason !== null)(
  skipReason === null ? title : `${title} (skipped: ${skipReason})`,
  () => {
    let keras: KerasCheckResult;
    const tfjs: number[][][][] = [];
    const modelDirs: string[] = [];

    beforeAll(async () => {
      requireKerasPython(); // before minutes of training, where CI lacks it
      const root = await mkdtemp(join(tmpdir(), 'cellsearch-keras-'));
      const models = [];
      for (const [i, c] of CASES.entries()) {
        const dir = join(root, `model-${i}`);
        modelDirs.push(dir);
        let genotype = 'nasnet-a';
        if (c.genotype !== 'nasnet-a') {
          genotype = join(root, `genotype-${i}.json`);
          await writeFile(genotype, JSON.stringify(c.genotype));
        }
        const trained = await nasCtl(...trainArgs(c, genotype, dir));
        expect(trained.code, trained.stderr).toBe(0);
        const file = join(root, `model-${i}.keras`);
        const exported = await nasCtl('export-model', '--model', dir, '--out', file);
        expect(exported.code, exported.stderr).toBe(0);
        expect(exported.stdout).toBe(`${file}\n`);
        const images = join(root, `images-${i}.f32`);
        await writeFile(images, pixels(c));
        models.push({ keras: file, images, count: IMAGES });
        tfjs.push(await tfjsOutputs(dir, c, pixels(c)));
      }
      keras = await kerasCheck(join(root, 'request.json'), models);
    }, 600_000);

    CASES.forEach((c, i) => {
      it(`${c.label}: Keras loads it and computes tfjs' outputs within ${TOLERANCE}`, async ({
        annotate,
      }) => {
        const ours = tfjs[i];
        const theirs = keras.models[i];
        if (ours === undefined || theirs === undefined) throw new Error('model not checked');
        const [probabilities = [], logits = []] = ours;
        const diffs = {
          probabilities: maxAbsDiff(probabilities, theirs.probabilities),
          logits: maxAbsDiff(logits, theirs.logits),
        };
        await annotate(`Keras ${keras.keras}, max abs diff ${JSON.stringify(diffs)}`);
        expect(diffs.probabilities, JSON.stringify(diffs)).toBeLessThanOrEqual(TOLERANCE);
        expect(diffs.logits, JSON.stringify(diffs)).toBeLessThanOrEqual(TOLERANCE);
        expect(theirs.problems).toEqual([]);
      });
    });

    it("README's Node snippet loads a saved model with @tensorflow/tfjs alone", async () => {
      const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
      const start = readme.indexOf("```js\nimport * as tf from '@tensorflow/tfjs';");
      expect(start).toBeGreaterThanOrEqual(0);
      const snippet = readme.slice(start + '```js\n'.length, readme.indexOf('```', start + 5));
      const dir = JSON.stringify(modelDirs[0]);
      const code = snippet.replace("'runs/train-20261203-1200'", dir);
      expect(code).not.toBe(snippet);
      const root = new URL('../..', import.meta.url).pathname;
      const args = ['--input-type=module', '-e', code];
      const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root });
      const [row] = JSON.parse(stdout) as number[][];
      expect(row).toHaveLength(3);
      expect((row ?? []).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  },
);

describe('nas-ctl export-model errors', () => {
  it('knows every Keras class a saved model may contain', () => {
    expect(Object.keys(KERAS_LAYER_KINDS).sort()).toEqual([...KERAS_CLASSES].sort());
  });

  it('names the folder or file at fault in one line, without a stack', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cellsearch-keras-errors-'));
    const corrupt = join(root, 'corrupt');
    await mkdir(corrupt);
    await writeFile(join(corrupt, 'model.json'), '{"modelTopology": ');
    const existing = join(root, 'there.keras');
    await writeFile(existing, 'x');
    const cases: [string[], string][] = [
      [
        ['--model', join(root, 'nope'), '--out', join(root, 'a.keras')],
        `--model ${join(root, 'nope')}: no such folder`,
      ],
      [
        ['--model', corrupt, '--out', join(root, 'a.keras')],
        `${join(corrupt, 'model.json')}: not JSON`,
      ],
      [['--model', corrupt, '--out', existing], `${existing}: already exists (add --force`],
      [['--model', corrupt, '--out', join(root, 'a.h5')], 'must end in .keras'],
      [['--model', root, '--out', join(root, 'a.keras')], `${join(root, 'model.json')}: missing`],
      [
        ['--model', corrupt, '--out', '/proc/cellsearch-nope/a.keras'],
        '--out /proc/cellsearch-nope: cannot',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await nasCtl('export-model', ...args);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 400_000);
});
