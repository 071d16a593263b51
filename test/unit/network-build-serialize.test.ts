/**
 * saveNetwork / loadNetwork: a round trip gives identical eval outputs and the saved extras, and
 * every broken file (missing, truncated, not JSON, weights of another network) fails with an
 * error that names the file.
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
} from '../../trainer/build/errors.ts';
import { buildNetwork, type Network } from '../../trainer/build/network.ts';
import { loadNetwork, saveNetwork } from '../../trainer/build/serialize.ts';
import { initBackend, tf } from '../../trainer/tf.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const SETTINGS: NetworkSettingsInput = {
  cells: 1,
  filters: 48,
  imageSize: 12,
  classes: 4,
  skeleton: 'cifar',
  auxHead: true,
};

function evalOutputs(network: Network): { logits: number[]; aux: number[] } {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 12, 12, 3], 0, 1, 'float32', 5).as4D(3, 12, 12, 3);
    const out = network.apply(x, { training: false, progress: 0 });
    return {
      logits: Array.from(out.logits.dataSync()),
      aux: Array.from(out.auxLogits?.dataSync() ?? []),
    };
  });
}

async function readModel(dir: string): Promise<Record<string, unknown>> {
  const value: unknown = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  if (typeof value !== 'object' || value === null) throw new Error('model.json is not an object');
  return Object.fromEntries(Object.entries(value));
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
    saved = join(root, 'saved');
    await saveNetwork(network, saved, NASNET_A, { trial: { id: 't1' } });
  });
  afterAll(async () => {
    network.dispose();
    await rm(root, { recursive: true, force: true });
  });

  /** A copy of the saved network in a fresh folder, with `model.json` optionally edited. */
  async function copy(name: string, edit?: (model: Record<string, unknown>) => void) {
    const dir = join(root, name);
    await saveNetwork(network, dir, NASNET_A);
    if (edit !== undefined) {
      const model = await readModel(dir);
      edit(model);
      await writeFile(join(dir, 'model.json'), JSON.stringify(model));
    }
    return dir;
  }

  it('round-trips: identical eval outputs, genotype, settings and extras', async () => {
    const loaded = await loadNetwork(saved);
    expect(evalOutputs(loaded.network)).toEqual(evalOutputs(network));
    expect(loaded.genotype).toEqual(NASNET_A);
    expect(loaded.settings).toEqual(network.plan.settings);
    expect(loaded.extra).toEqual({ trial: { id: 't1' } });
    const model = await readModel(saved);
    expect(Object.keys(model)).toEqual([
      'format',
      'formatVersion',
      'genotype',
      'settings',
      'trial',
      'weightsManifest',
    ]);
    expect(model.format).toBe('cellsearch-network');
    loaded.network.dispose();
  });

  it('fails naming weights.bin when it is missing', async () => {
    const dir = await copy('no-weights');
    await unlink(join(dir, 'weights.bin'));
    const load = loadNetwork(dir);
    await expect(load).rejects.toThrow(MissingNetworkFileError);
    await expect(load).rejects.toThrow(/weights\.bin: missing/);
  });

  it('fails naming weights.bin when it is truncated', async () => {
    const dir = await copy('truncated');
    await truncate(join(dir, 'weights.bin'), 100);
    const load = loadNetwork(dir);
    await expect(load).rejects.toThrow(CorruptNetworkFileError);
    await expect(load).rejects.toThrow(/weights\.bin: truncated: 100 bytes, expected \d+/);
  });

  it('fails naming model.json when it is missing, not JSON, or of another format', async () => {
    await expect(loadNetwork(join(root, 'nowhere'))).rejects.toThrow(/model\.json: missing/);
    const garbled = await copy('garbled');
    await writeFile(join(garbled, 'model.json'), '{"format": ');
    await expect(loadNetwork(garbled)).rejects.toThrow(/model\.json: not JSON/);
    const other = await copy('other-format', (m) => (m.format = 'keras'));
    await expect(loadNetwork(other)).rejects.toThrow(/model\.json: format "keras"/);
    const badSettings = await copy('bad-settings', (m) => (m.settings = { cells: 0 }));
    await expect(loadNetwork(badSettings)).rejects.toThrow(/model\.json: invalid network settings/);
  });

  it('fails listing the weights that do not fit the rebuilt network', async () => {
    const dir = await copy('renamed');
    const file = join(dir, 'model.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"name": "stem/conv"', '"name": "stem/kernel"'));
    const load = loadNetwork(dir);
    await expect(load).rejects.toThrow(NetworkWeightsMismatchError);
    await expect(load).rejects.toThrow(
      /weights\.bin: .*missing stem\/conv.*unknown weight stem\/kernel/,
    );
  });

  it('refuses a genotype that does not describe the network, and reserved extras', async () => {
    const other = { ...NASNET_A, normal: NASNET_A.reduction };
    await expect(saveNetwork(network, join(root, 'wrong'), other)).rejects.toThrow(/genotype/);
    await expect(
      saveNetwork(network, join(root, 'wrong'), NASNET_A, { format: 'x' }),
    ).rejects.toThrow(/reserved/);
  });

  it('leaks no tensors when loading fails', async () => {
    const before = tf.memory().numTensors;
    await expect(loadNetwork(join(saved, '..', 'renamed'))).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
