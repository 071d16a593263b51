/**
 * The weights half of a saved model: parse the tfjs weights manifest, read and size-check its
 * binary files, decode them with tf.io.decodeWeights, and assign them to a ParamStore through the
 * LayersModel's weight bindings.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tf } from '../tf.ts';
import type { Tensor } from '../tf.ts';
import {
  CorruptNetworkFileError,
  MissingNetworkFileError,
  NetworkWeightsMismatchError,
} from './errors.ts';
import type { WeightBinding } from './keras-weights.ts';
import { NORMALIZE_LAYER } from './layers-model.ts';
import type { ParamStore } from './param-store.ts';

/** One weight as model.json describes it (float32 only: that is all saveNetwork writes). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32';
}

/** Decoded weights by name, and the file(s) they came from (for error messages). */
export interface DecodedWeights {
  readonly file: string;
  readonly tensors: Readonly<Record<string, Tensor>>;
}

/** The raw weights of a manifest: its float32 specs in order and their bytes, concatenated. */
export interface WeightBytes {
  /** The weight file(s), for error messages. */
  readonly file: string;
  readonly specs: readonly WeightSpec[];
  readonly data: ArrayBuffer;
}

/**
 * Reads every group of `manifest` (the `weightsManifest` of `modelFile`) from `dir`, checking each
 * group's files hold exactly its weights.
 */
export async function readWeightBytes(
  dir: string,
  modelFile: string,
  manifest: unknown,
): Promise<WeightBytes> {
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new CorruptNetworkFileError(modelFile, 'weightsManifest must be a non-empty array');
  }
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  const files: string[] = [];
  for (const [g, group] of manifest.entries()) {
    const parsed = parseGroup(modelFile, group, g);
    parts.push(await readGroup(dir, parsed.paths, parsed.specs));
    specs.push(...parsed.specs);
    files.push(...parsed.paths.map((p) => join(dir, p)));
  }
  return { file: files.join(', '), specs, data: concatenate(parts) };
}

/** Reads and decodes every weight of `manifest` by name (the caller disposes the tensors). */
export async function readWeights(
  dir: string,
  modelFile: string,
  manifest: unknown,
): Promise<DecodedWeights> {
  const { file, specs, data } = await readWeightBytes(dir, modelFile, manifest);
  return { file, tensors: tf.io.decodeWeights(data, [...specs]) };
}

/**
 * Assigns each parameter of `store` the saved weight `bindings` map it to: every parameter needs
 * one of its shape, and every saved weight must be bound.
 */
export function assignWeights(
  store: ParamStore,
  bindings: readonly WeightBinding[],
  weights: DecodedWeights,
): void {
  const problems: string[] = [];
  const byParam = new Map(bindings.map((b) => [b.param, b.weight]));
  const pairs: [tf.Variable, Tensor][] = [];
  for (const param of store.list()) {
    const name = byParam.get(param.name);
    if (name === undefined) continue; // not part of the saved model (the aux head)
    const t = weights.tensors[name];
    if (t === undefined) problems.push(`missing ${name}`);
    else if (!sameShape(t.shape, param.variable.shape)) {
      problems.push(
        `${name} is [${t.shape.join(', ')}], expected [${param.variable.shape.join(', ')}]`,
      );
    } else pairs.push([param.variable, t]);
  }
  const bound = new Set(bindings.map((b) => b.weight));
  for (const name of Object.keys(weights.tensors)) {
    if (!bound.has(name) && !name.startsWith(`${NORMALIZE_LAYER}/`)) {
      problems.push(`unknown weight ${name}`);
    }
  }
  if (problems.length > 0) throw new NetworkWeightsMismatchError(weights.file, problems);
  for (const [variable, t] of pairs) variable.assign(t);
}

/** The concatenated bytes of a group's files, which must hold exactly its weights. */
async function readGroup(
  dir: string,
  paths: readonly string[],
  specs: readonly WeightSpec[],
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const path of paths) {
    const file = join(dir, path);
    try {
      parts.push(await readFile(file));
    } catch {
      throw new MissingNetworkFileError(file, 'network weights');
    }
  }
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  const found = parts.reduce((n, p) => n + p.byteLength, 0);
  if (found !== expected) {
    const file = paths.map((p) => join(dir, p)).join(', ');
    const what = found < expected ? 'truncated' : 'too long';
    throw new CorruptNetworkFileError(file, `${what}: ${found} bytes, expected ${expected}`);
  }
  return new Uint8Array(concatenate(parts));
}

function concatenate(parts: readonly Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out.buffer;
}

/** One manifest group: plain file names in the model's folder and float32 weight specs. */
function parseGroup(
  file: string,
  group: unknown,
  g: number,
): { paths: string[]; specs: WeightSpec[] } {
  const at = `weightsManifest[${g}]`;
  if (typeof group !== 'object' || group === null || !('paths' in group) || !('weights' in group)) {
    throw new CorruptNetworkFileError(file, `${at} needs paths and weights`);
  }
  const { paths, weights } = group;
  if (
    !Array.isArray(paths) ||
    !paths.every((p) => typeof p === 'string' && p !== '' && basename(p) === p)
  ) {
    throw new CorruptNetworkFileError(file, `${at}.paths must be file names in the model's folder`);
  }
  if (!Array.isArray(weights))
    throw new CorruptNetworkFileError(file, `${at}.weights must be an array`);
  const specs = weights.map((w, i) => parseSpec(file, w, `${at}.weights[${i}]`));
  return { paths: paths.filter((p) => typeof p === 'string'), specs };
}

function parseSpec(file: string, w: unknown, at: string): WeightSpec {
  if (typeof w !== 'object' || w === null || !('name' in w) || !('shape' in w) || !('dtype' in w)) {
    throw new CorruptNetworkFileError(file, `${at} needs name, shape and dtype`);
  }
  const { name, shape, dtype } = w;
  const dims = Array.isArray(shape) ? shape.filter((d) => Number.isSafeInteger(d) && d >= 0) : [];
  if (typeof name !== 'string' || !Array.isArray(shape) || dims.length !== shape.length) {
    throw new CorruptNetworkFileError(file, `${at} has a bad name or shape`);
  }
  if (dtype !== 'float32' || 'quantization' in w) {
    throw new CorruptNetworkFileError(
      file,
      `${at} (${name}): only unquantised float32 is supported`,
    );
  }
  return { name, shape: dims.filter((d) => typeof d === 'number'), dtype };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
