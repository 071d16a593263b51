/**
 * Parses a trial request from any source (a JSON file, the CLI, the wire) into a typed value, listing
 * every violation with its path. Checks that need the dataset (image size, classes) happen where
 * the dataset is read, when the network is planned.
 */
import { InvalidValueError, type Violation } from './errors.ts';
import { FILTERS_PER_BRANCH_FILTER, SKELETONS, type Skeleton } from './network-settings.ts';
import type { SearchSpace } from './search-space.ts';
import { DEFAULT_SPACE } from './search-space.ts';
import { parseTrainingSettings } from './training-settings.ts';
import type { TrialNetwork, TrialRequest } from './trial.ts';
import { parseGenotype } from './validate.ts';

const FIELDS = ['genotype', 'network', 'training', 'dataset'];
const NETWORK_FIELDS = ['cells', 'filters', 'skeleton', 'auxHead', 'stemMultiplier'];

/** Parses a trial request; throws InvalidValueError('trial request') listing every problem. */
export function parseTrialRequest(
  value: unknown,
  space: SearchSpace = DEFAULT_SPACE,
): TrialRequest {
  const v: Violation[] = [];
  const input = record(value, '', v);
  if (input === undefined) throw new InvalidValueError('trial request', v);
  unknownKeys(input, FIELDS, '', v);
  const genotype = nested(v, 'genotype', () => parseGenotype(input.genotype, space));
  const training = nested(v, 'training', () => parseTrainingSettings(input.training ?? {}));
  const network = parseTrialNetwork(input.network, v);
  const dataset = input.dataset;
  if (typeof dataset !== 'string' || dataset.trim() === '') {
    v.push({
      path: 'dataset',
      message: `expected a dataset spec such as "synthetic", got ${show(dataset)}`,
    });
  }
  if (v.length > 0 || !genotype || !training || !network || typeof dataset !== 'string') {
    throw new InvalidValueError('trial request', v);
  }
  return Object.freeze({ genotype, network, training, dataset });
}

function parseTrialNetwork(value: unknown, v: Violation[]): TrialNetwork | undefined {
  const input = record(value, 'network', v);
  if (input === undefined) return undefined;
  unknownKeys(input, NETWORK_FIELDS, 'network.', v);
  const { cells, filters, skeleton, auxHead, stemMultiplier } = input;
  const before = v.length;
  if (!isPositiveInt(cells))
    v.push({ path: 'network.cells', message: `expected a positive integer, got ${show(cells)}` });
  if (!isPositiveInt(filters) || filters % FILTERS_PER_BRANCH_FILTER !== 0) {
    v.push({
      path: 'network.filters',
      message: `expected a positive multiple of 24 (F of N@F), got ${show(filters)}`,
    });
  }
  if (!SKELETONS.some((s) => s === skeleton)) {
    v.push({
      path: 'network.skeleton',
      message: `expected one of ${SKELETONS.join(', ')}, got ${show(skeleton)}`,
    });
  }
  if (typeof auxHead !== 'boolean')
    v.push({ path: 'network.auxHead', message: `expected true or false, got ${show(auxHead)}` });
  if (
    stemMultiplier !== undefined &&
    !(typeof stemMultiplier === 'number' && stemMultiplier > 0 && Number.isFinite(stemMultiplier))
  ) {
    v.push({
      path: 'network.stemMultiplier',
      message: `expected a positive number, got ${show(stemMultiplier)}`,
    });
  }
  if (v.length > before) return undefined;
  return Object.freeze({
    cells: cells as number,
    filters: filters as number,
    skeleton: skeleton as Skeleton,
    auxHead: auxHead as boolean,
    ...(typeof stemMultiplier === 'number' ? { stemMultiplier } : {}),
  });
}

/** Runs a nested parser, moving its violations under `prefix`. */
function nested<T>(v: Violation[], prefix: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    for (const inner of err.violations)
      v.push({
        path: inner.path === '' ? prefix : `${prefix}.${inner.path}`,
        message: inner.message,
      });
    return undefined;
  }
}

function record(
  value: unknown,
  path: string,
  v: Violation[],
): Readonly<Record<string, unknown>> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Readonly<Record<string, unknown>>;
  v.push({ path, message: `expected an object, got ${show(value)}` });
  return undefined;
}

function unknownKeys(
  input: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  prefix: string,
  v: Violation[],
): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key))
      v.push({ path: `${prefix}${key}`, message: `unknown field; allowed: ${allowed.join(', ')}` });
  }
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? typeof value);
}
