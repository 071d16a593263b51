/**
 * The weights half of a saved network: parse the tfjs weights manifest, read and size-check its
 * binary files, decode them with tf.io.decodeWeights, and assign them to a ParamStore by name.
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
import type { ParamStore } from './param-store.ts';

/** One weight as model.json describes it (float32 only: that is all saveNetwork writes). */
interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32';
}

/** Decoded weights by name, and the file(s) they came from (for error messages). */
export interface DecodedWeights {
  readonly file: string;
  readonly tensors: Readonly<Record<string, Tensor>>;
}

/** Reads every group of `manifest` (the `weightsManifest` of `modelFile`) from `dir`. */
export async function readWeights(
  dir: string,
  modelFile: string,
  manifest: unknown,
): Promise<DecodedWeights> {
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new CorruptNetworkFileError(modelFile, 'weightsManifest must be a non-empty array');
  }
  const tensors: Record<string, Tensor> = {};
  const files: string[] = [];
  try {
    for (const [g, group] of manifest.entries()) {
      const { paths, specs } = parseGroup(modelFile, group, g);
      const data = await readGroup(dir, paths, specs);
      files.push(...paths.map((p) => join(dir, p)));
      Object.assign(tensors, tf.io.decodeWeights(data, specs));
    }
  } catch (err) {
    tf.dispose(Object.values(tensors));
    throw err;
  }
  return { file: files.join(', '), tensors };
}

/**
 * Assigns each decoded weight to the parameter of the same name; every parameter needs one of its
 * shape.
 */
export function assignWeights(store: ParamStore, weights: DecodedWeights): void {
  const problems: string[] = [];
  for (const param of store.list()) {
    const t = weights.tensors[param.name];
    if (t === undefined) problems.push(`missing ${param.name}`);
    else if (!sameShape(t.shape, param.variable.shape)) {
      problems.push(
        `${param.name} is [${t.shape.join(', ')}], expected [${param.variable.shape.join(', ')}]`,
      );
    }
  }
  for (const name of Object.keys(weights.tensors)) {
    if (store.get(name) === undefined) problems.push(`unknown weight ${name}`);
  }
  if (problems.length > 0) throw new NetworkWeightsMismatchError(weights.file, problems);
  for (const param of store.list()) {
    const t = weights.tensors[param.name];
    if (t !== undefined) param.variable.assign(t);
  }
}

/** The concatenated bytes of a group's files, which must hold exactly its weights. */
async function readGroup(
  dir: string,
  paths: readonly string[],
  specs: readonly WeightSpec[],
): Promise<ArrayBuffer> {
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
  const out = new Uint8Array(found);
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
