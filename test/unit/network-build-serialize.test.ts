// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * saveNetwork / loadNetwork: a trained network is saved as a standard TensorFlow.js LayersModel
 * (modelTopology of stock Keras layers, weights manifest, cellsearch metadata) that
 * `tf.loadLayersModel` reads back with the trainer's own predictions; loadNetwork rebuilds the
 * trainable network from it; every broken file fails with an error that names the file.
 */
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork, type NetworkSettingsInput } from '../../shared/network-plan.ts';
import {
  CorruptNetworkFileError,
  MissingNetworkFileError,
  NetworkWeightsMismatchError,
} from '../../trainer/network/errors.ts';
import { modelFolder } from '../../trainer/network/model-files.ts';
import { buildNetwork, type Network } from '../../trainer/network/network.ts';
import { loadNetwork, saveNetwork, type SaveInfo } from '../../trainer/network/serialize.ts';
import { initBackend, tf } from '../../trainer/tf.ts';
import {
  eachLayerClass,
  KERAS_CLASSES,
  predictOne,
  randomizeNetwork,
  STATS,
  trainerForward,
} from '../fixtures/layers-model-helpers.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const SETTINGS: NetworkSettingsInput = {
  cells: 1,
  filters: 48,
  imageSize: 12,
  classes: 4,
  skeleton: 'cifar',
  auxHead: true,
};
const INFO: SaveInfo = {
  genotype: NASNET_A,
  normalization: STATS,
  classNames: ['a', 'b', 'c', 'd'],
  extra: { trial: { id: 't1' } },
};

function pixels(): tf.Tensor4D {
  return tf.floor(tf.randomUniform([3, 12, 12, 3], 0, 256, 'float32', 5)).as4D(3, 12, 12, 3);
}

function evalLogits(network: Network): number[] {
  return tf.tidy(() => Array.from(trainerForward(network, pixels(), STATS).dataSync()));
}

async function readModel(dir: string): Promise<Record<string, unknown>> {
  const value: unknown = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  if (typeof value !== 'object' || value === null) throw new Error('model.json is not an object');
  return Object.fromEntries(Object.entries(value));
}

/** `model.userDefinedMetadata.cellsearch`, to edit. */
function cellsearch(model: Record<string, unknown>): Record<string, unknown> {
  const meta = model.userDefinedMetadata as { cellsearch: Record<string, unknown> };
  return meta.cellsearch;
}

const testBackend = await loadTestBackend(TEST_BACKEND, false); // null: skipped outside CI

describe.skipIf(testBackend === null)(`saveNetwork and loadNetwork on ${TEST_BACKEND}`, () => {
  let root: string;
  let saved: string;
  let network: Network;
  beforeAll(async () => {
    await initBackend(TEST_BACKEND);
    root = await mkdtemp(join(tmpdir(), 'cellsearch-network-'));
    network = buildNetwork(planNetwork(NASNET_A, SETTINGS), {
      seed: 9,
      dropout: 0,
      dropPathKeep: 1,
    });
    tf.tidy(() => {
      // One training pass, so the BN moving averages are not at their initial values.
      const x = tf.randomNormal([3, 12, 12, 3], 0, 1, 'float32', 6).as4D(3, 12, 12, 3);
      network.apply(x, { training: true, progress: 0 });
    });
    randomizeNetwork(network, 4);
    saved = join(root, 'saved');
    await saveNetwork(network, saved, INFO);
  });
  afterAll(async () => {
    network.dispose();
    await rm(root, { recursive: true, force: true });
  });

  /** A copy of the saved network in a fresh folder, with `model.json` optionally edited. */
  async function copy(name: string, edit?: (model: Record<string, unknown>) => void) {
    const dir = join(root, name);
    await saveNetwork(network, dir, INFO);
    if (edit !== undefined) {
      const model = await readModel(dir);
      edit(model);
      await writeFile(join(dir, 'model.json'), JSON.stringify(model));
    }
    return dir;
  }

  it('saves a LayersModel of stock Keras layers that tf.loadLayersModel reads', async () => {
    const model = await readModel(saved);
    expect(Object.keys(model)).toEqual([
      'modelTopology',
      'format',
      'generatedBy',
      'convertedBy',
      'weightsManifest',
      'userDefinedMetadata',
    ]);
    expect(model.format).toBe('layers-model');
    const loaded = await tf.loadLayersModel(modelFolder(saved));
    for (const className of eachLayerClass(loaded)) expect(KERAS_CLASSES).toContain(className);
    const probs = tf.tidy(() => Array.from(predictOne(loaded, pixels()).dataSync()));
    const expected = tf.tidy(() =>
      Array.from(tf.softmax(trainerForward(network, pixels(), STATS)).dataSync()),
    );
    expect(probs).toHaveLength(12);
    probs.forEach((p, i) => expect(Math.abs(p - (expected[i] ?? 0))).toBeLessThan(1e-5));
    expect(cellsearch(model).classNames).toEqual(['a', 'b', 'c', 'd']);
    loaded.dispose();
  });

  it('round-trips through loadNetwork: eval logits, genotype, settings and extras', async () => {
    const loaded = await loadNetwork(saved);
    expect(evalLogits(loaded.network)).toEqual(evalLogits(network));
    expect(loaded.genotype).toEqual(NASNET_A);
    expect(loaded.settings).toEqual(network.plan.settings);
    expect(loaded.normalization).toEqual(STATS);
    expect(loaded.classNames).toEqual(INFO.classNames);
    expect(loaded.extra).toEqual({ trial: { id: 't1' } });
    loaded.network.dispose();
  });

  it('fails naming weights.bin when it is missing', async () => {
    const dir = await copy('no-weights');
    await unlink(join(dir, 'weights.bin'));
    const load = loadNetwork(dir);
    await expect(load).rejects.toThrow(MissingNetworkFileError);
    await expect(load).rejects.toThrow(/weights\.bin: missing/);
    await expect(tf.loadLayersModel(modelFolder(dir))).rejects.toThrow(/weights\.bin: missing/);
  });

  it('fails naming weights.bin when it is truncated', async () => {
    const dir = await copy('truncated');
    await truncate(join(dir, 'weights.bin'), 100);
    const load = loadNetwork(dir);
    await expect(load).rejects.toThrow(CorruptNetworkFileError);
    await expect(load).rejects.toThrow(/weights\.bin: truncated: 100 bytes, expected \d+/);
  });

  it('fails naming model.json when it is missing, not JSON, not a LayersModel or of another format', async () => {
    await expect(loadNetwork(join(root, 'nowhere'))).rejects.toThrow(/model\.json: missing/);
    const garbled = await copy('garbled');
    await writeFile(join(garbled, 'model.json'), '{"format": ');
    await expect(loadNetwork(garbled)).rejects.toThrow(/model\.json: not JSON/);
    const old = await copy('old-format', (m) => delete m.modelTopology);
    await expect(tf.loadLayersModel(modelFolder(old))).rejects.toThrow(
      /model\.json: no modelTopology/,
    );
    const other = await copy('other-format', (m) => (cellsearch(m).format = 'keras'));
    await expect(loadNetwork(other)).rejects.toThrow(/model\.json: format "keras"/);
    const bad = await copy('bad-settings', (m) => (cellsearch(m).settings = { cells: 0 }));
    await expect(loadNetwork(bad)).rejects.toThrow(/model\.json: invalid network settings/);
  });

  it('fails listing the weights that do not fit the rebuilt network', async () => {
    const dir = await copy('renamed');
    const file = join(dir, 'model.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"name":"stem.conv/kernel"', '"name":"stem.conv/kernal"'));
    const load = loadNetwork(dir);
    await expect(load).rejects.toThrow(NetworkWeightsMismatchError);
    await expect(load).rejects.toThrow(
      /weights\.bin: .*missing stem\.conv\/kernel.*unknown weight stem\.conv\/kernal/,
    );
  });

  it('refuses a genotype that does not describe the network, and reserved extras', async () => {
    const other = { ...NASNET_A, normal: NASNET_A.reduction };
    const wrong = join(root, 'wrong');
    await expect(saveNetwork(network, wrong, { ...INFO, genotype: other })).rejects.toThrow(
      /genotype/,
    );
    await expect(saveNetwork(network, wrong, { ...INFO, extra: { format: 'x' } })).rejects.toThrow(
      /reserved/,
    );
  });

  it('leaks no tensors when loading fails', async () => {
    const before = tf.memory().numTensors;
    await expect(loadNetwork(join(saved, '..', 'renamed'))).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
