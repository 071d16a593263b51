/**
 * Saving and loading trained networks as standard TensorFlow.js LayersModels (./layers-model.ts):
 * `model.json` (Keras topology, weights manifest, and the cellsearch metadata of
 * ./model-metadata.ts) beside `weights.bin`. `tf.loadLayersModel` reads the folder for inference;
 * loadNetwork rebuilds the trainable network from the metadata and takes back every trained weight
 * through the same name bindings the model was built with.
 */
import { planNetwork } from '../../shared/network-plan.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { NetworkSettings } from '../../shared/network-settings.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import { tf } from '../tf.ts';
import { buildLayersModel } from './layers-model.ts';
import { modelFolder, readModelJson } from './model-files.ts';
import { metadataJson, parseMetadata, type NetworkMetadata } from './model-metadata.ts';
import { buildNetwork, type Network, type NetworkOptions } from './network.ts';
import { assignWeights, readWeights } from './weights-file.ts';

/** What is saved beside a network's weights. */
export interface SaveInfo {
  /** The genotype the network was built from (checked against its plan). */
  readonly genotype: Genotype;
  /** The training split's per-channel statistics, baked into the model's first layer. */
  readonly normalization: ChannelStats;
  readonly classNames?: readonly string[];
  /** Extra metadata fields (training settings, dataset). */
  readonly extra?: Record<string, unknown>;
}

/** A network read back from disk, with what was saved beside it. */
export interface LoadedNetwork {
  readonly network: Network;
  readonly genotype: Genotype;
  readonly settings: NetworkSettings;
  readonly normalization: ChannelStats;
  readonly classNames?: readonly string[];
  /** The `extra` fields given to saveNetwork. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Writes `network` to `dir` as a LayersModel (model.json, weights.bin) with its metadata. */
export async function saveNetwork(network: Network, dir: string, info: SaveInfo): Promise<void> {
  const settings = network.plan.settings;
  if (JSON.stringify(planNetwork(info.genotype, settings)) !== JSON.stringify(network.plan)) {
    throw new Error('saveNetwork: the genotype does not describe this network');
  }
  const meta: NetworkMetadata = {
    genotype: info.genotype,
    settings,
    normalization: info.normalization,
    ...(info.classNames === undefined ? {} : { classNames: info.classNames }),
    extra: info.extra ?? {},
  };
  const metadata = { cellsearch: metadataJson(meta) };
  const { model } = buildLayersModel(network.plan, network.params, info.normalization);
  try {
    model.setUserDefinedMetadata(metadata);
    await model.save(modelFolder(dir));
  } finally {
    model.dispose();
  }
}

/**
 * Rebuilds the trainable network of a model saved by saveNetwork, with its trained weights (the
 * aux head, which the saved model leaves out, starts fresh); `options` default to seed 0, no
 * dropout, no drop path. Throws a NetworkFileError naming the file for a missing, corrupt or
 * mismatched file.
 */
export async function loadNetwork(
  dir: string,
  options: Partial<NetworkOptions> = {},
): Promise<LoadedNetwork> {
  const { file, json } = await readModelJson(dir);
  const { meta, plan } = parseMetadata(file, json.userDefinedMetadata);
  const weights = await readWeights(dir, file, json.weightsManifest);
  const network = buildNetwork(plan, { seed: 0, dropout: 0, dropPathKeep: 1, ...options });
  try {
    const { model, bindings } = buildLayersModel(plan, network.params, meta.normalization);
    model.dispose();
    assignWeights(network.params, bindings, weights);
  } catch (err) {
    network.dispose();
    throw err;
  } finally {
    tf.dispose(Object.values(weights.tensors));
  }
  return { network, ...meta };
}
