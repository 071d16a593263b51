/**
 * What cellsearch keeps in a saved LayersModel's `userDefinedMetadata.cellsearch`: enough to
 * rebuild the trainable network (genotype, network settings), the input normalisation baked into
 * the model, the class names, and the caller's extras (training settings, dataset).
 */
import { InvalidValueError } from '../../shared/errors.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { planNetwork, type NetworkPlan, type NetworkSettings } from '../../shared/network-plan.ts';
import { parseNetworkSettings } from '../../shared/network-settings.ts';
import { parseGenotype } from '../../shared/validate.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import { CorruptNetworkFileError } from './errors.ts';
import { LOGITS_LAYER } from './layers-model.ts';

/** The `format` of the metadata. */
export const NETWORK_FORMAT = 'cellsearch-network';
/** The `formatVersion` this code writes and reads (1 was a custom layout, not a LayersModel). */
export const NETWORK_FORMAT_VERSION = 2;

const RESERVED = [
  'format',
  'formatVersion',
  'genotype',
  'settings',
  'normalization',
  'classNames',
  'logitsLayer',
];

/** The metadata of a saved network. */
export interface NetworkMetadata {
  readonly genotype: Genotype;
  readonly settings: NetworkSettings;
  /** Per-channel statistics the model's `normalize` layer applies to pixel values / 255. */
  readonly normalization: ChannelStats;
  /** The name of each class by index, when the dataset records them. */
  readonly classNames?: readonly string[];
  /** Anything else the caller saved (training settings, dataset spec). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** The JSON object stored as `userDefinedMetadata.cellsearch`; throws for reserved extras. */
export function metadataJson(meta: NetworkMetadata): Record<string, unknown> {
  const clash = Object.keys(meta.extra).filter((key) => RESERVED.includes(key));
  if (clash.length > 0)
    throw new Error(`saveNetwork: extra fields ${clash.join(', ')} are reserved`);
  return {
    format: NETWORK_FORMAT,
    formatVersion: NETWORK_FORMAT_VERSION,
    genotype: meta.genotype,
    settings: meta.settings,
    normalization: meta.normalization,
    ...(meta.classNames === undefined ? {} : { classNames: meta.classNames }),
    logitsLayer: LOGITS_LAYER,
    ...meta.extra,
  };
}

/**
 * Reads the cellsearch metadata of model.json (`file`) and plans its network; throws
 * CorruptNetworkFileError for anything missing or invalid.
 */
export function parseMetadata(
  file: string,
  userDefinedMetadata: unknown,
): { meta: NetworkMetadata; plan: NetworkPlan } {
  const value = field(userDefinedMetadata, 'cellsearch');
  if (value === undefined) {
    throw new CorruptNetworkFileError(
      file,
      'no userDefinedMetadata.cellsearch: not a cellsearch network',
    );
  }
  const format = field(value, 'format');
  const version = field(value, 'formatVersion');
  if (format !== NETWORK_FORMAT || version !== NETWORK_FORMAT_VERSION) {
    const found = `${JSON.stringify(format)} version ${JSON.stringify(version)}`;
    const expected = `"${NETWORK_FORMAT}" version ${NETWORK_FORMAT_VERSION}`;
    throw new CorruptNetworkFileError(file, `format ${found}; expected ${expected}`);
  }
  try {
    const genotype = parseGenotype(field(value, 'genotype'));
    const plan = planNetwork(genotype, parseNetworkSettings(field(value, 'settings')));
    const normalization = parseStats(file, field(value, 'normalization'), plan.stem.input.channels);
    const classNames = parseClassNames(file, field(value, 'classNames'), plan.head.classes);
    const extra = Object.fromEntries(entries(value).filter(([k]) => !RESERVED.includes(k)));
    const meta = { genotype, settings: plan.settings, normalization, extra };
    return { meta: classNames === undefined ? meta : { ...meta, classNames }, plan };
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    throw new CorruptNetworkFileError(file, err.message);
  }
}

function parseStats(file: string, value: unknown, channels: number): ChannelStats {
  const mean = numbers(field(value, 'mean'));
  const std = numbers(field(value, 'std'));
  if (mean?.length !== channels || std?.length !== channels || std.some((s) => s <= 0)) {
    throw new CorruptNetworkFileError(
      file,
      `cellsearch.normalization needs mean and std of ${channels} numbers (std > 0)`,
    );
  }
  return { mean, std };
}

function parseClassNames(file: string, value: unknown, classes: number): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length !== classes ||
    !value.every((v) => typeof v === 'string')
  ) {
    throw new CorruptNetworkFileError(file, `cellsearch.classNames must be ${classes} strings`);
  }
  return value.map(String);
}

function numbers(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return undefined;
  }
  return value.map(Number);
}

function field(value: unknown, key: string): unknown {
  return entries(value).find(([k]) => k === key)?.[1];
}

function entries(value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value);
}
