/**
 * Saving and loading networks in the tfjs layout: `model.json` (format, genotype, network settings,
 * caller extras, weights manifest) beside `weights.bin`. Loading rebuilds the network from the
 * genotype and settings with planNetwork, then assigns every weight by name.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidValueError } from '../../shared/errors.ts';
import type { Genotype } from '../../shared/genotype.ts';
import {
  parseNetworkSettings,
  planNetwork,
  type NetworkPlan,
  type NetworkSettings,
} from '../../shared/network-plan.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { tf } from '../tf.ts';
import { CorruptNetworkFileError, MissingNetworkFileError } from './errors.ts';
import { buildNetwork, type Network, type NetworkOptions } from './network.ts';
import { assignWeights, readWeights } from './weights-file.ts';

/** The `format` field of a saved network's model.json. */
export const NETWORK_FORMAT = 'cellsearch-network';
/** The `formatVersion` this code writes and reads. */
export const NETWORK_FORMAT_VERSION = 1;
/** File names inside a saved network's folder. */
export const NETWORK_FILES = Object.freeze({ model: 'model.json', weights: 'weights.bin' });

const RESERVED = ['format', 'formatVersion', 'genotype', 'settings', 'weightsManifest'];

/** A network read back from disk, with what was saved beside it. */
export interface LoadedNetwork {
  readonly network: Network;
  readonly genotype: Genotype;
  readonly settings: NetworkSettings;
  /** The `extra` fields given to saveNetwork. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Writes `network` (built from `genotype`) to `dir` as model.json and weights.bin; `extra` fields
 * go into model.json.
 */
export async function saveNetwork(
  network: Network,
  dir: string,
  genotype: Genotype,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const clash = Object.keys(extra).filter((key) => RESERVED.includes(key));
  if (clash.length > 0)
    throw new Error(`saveNetwork: extra fields ${clash.join(', ')} are reserved`);
  const settings = network.plan.settings;
  if (JSON.stringify(planNetwork(genotype, settings)) !== JSON.stringify(network.plan)) {
    throw new Error('saveNetwork: the genotype does not describe this network');
  }
  const named = network.params.list().map((p) => ({ name: p.name, tensor: p.variable }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const model = {
    format: NETWORK_FORMAT,
    formatVersion: NETWORK_FORMAT_VERSION,
    genotype,
    settings,
    ...extra,
    weightsManifest: [{ paths: [NETWORK_FILES.weights], weights: specs }],
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, NETWORK_FILES.weights), new Uint8Array(data));
  await writeFile(join(dir, NETWORK_FILES.model), `${JSON.stringify(model, null, 2)}\n`);
}

/**
 * Reads a network saved by saveNetwork; `options` default to seed 0, no dropout, no drop path.
 * Throws a NetworkFileError naming the file for a missing, corrupt or mismatched file.
 */
export async function loadNetwork(
  dir: string,
  options: Partial<NetworkOptions> = {},
): Promise<LoadedNetwork> {
  const file = join(dir, NETWORK_FILES.model);
  const model = await readModel(file);
  const { genotype, plan } = parseModel(file, model);
  const weights = await readWeights(dir, file, model.weightsManifest);
  const network = buildNetwork(plan, { seed: 0, dropout: 0, dropPathKeep: 1, ...options });
  try {
    assignWeights(network.params, weights);
  } catch (err) {
    network.dispose();
    throw err;
  } finally {
    tf.dispose(Object.values(weights.tensors));
  }
  const extra = Object.fromEntries(Object.entries(model).filter(([k]) => !RESERVED.includes(k)));
  return { network, genotype, settings: plan.settings, extra };
}

/** model.json as an object, checked for format and version. */
async function readModel(file: string): Promise<Readonly<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MissingNetworkFileError(file, 'the network description (model.json)');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CorruptNetworkFileError(
      file,
      `not JSON (${err instanceof Error ? err.message : ''})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptNetworkFileError(file, 'expected a JSON object');
  }
  const model: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(value));
  if (model.format !== NETWORK_FORMAT || model.formatVersion !== NETWORK_FORMAT_VERSION) {
    const found = `${JSON.stringify(model.format)} version ${JSON.stringify(model.formatVersion)}`;
    const expected = `"${NETWORK_FORMAT}" version ${NETWORK_FORMAT_VERSION}`;
    throw new CorruptNetworkFileError(file, `format ${found}; expected ${expected}`);
  }
  return model;
}

/** The saved genotype and the plan rebuilt from it and the saved settings. */
function parseModel(
  file: string,
  model: Readonly<Record<string, unknown>>,
): { genotype: Genotype; plan: NetworkPlan } {
  try {
    const genotype = parseGenotype(model.genotype);
    return { genotype, plan: planNetwork(genotype, parseNetworkSettings(model.settings)) };
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    throw new CorruptNetworkFileError(file, err.message);
  }
}
