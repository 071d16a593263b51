/**
 * A saved model's folder read as plain data, without TensorFlow.js: `model.json` (a tfjs
 * LayersModel whose modelTopology is a Keras functional model in tfjs' serialisation) and the
 * float32 weight files its manifest names. Every problem is one {@link ModelFilesError} naming the
 * file at fault, so an export fails with a sentence, not a stack.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { CellsearchError } from '../../shared/errors.ts';

/** File names inside a saved model's folder (as nas-trainer writes them). */
export const MODEL_JSON = 'model.json';

/** A saved model's file that is missing or cannot be read as what it should be. */
export class ModelFilesError extends CellsearchError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super('MODEL_FILE_INVALID', `${file}: ${problem}`);
  }
}

/** Which output of which layer call a tensor is: `[layer name, node index, tensor index]`. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

/** One layer of the saved topology: tfjs' Keras class name, its config and the tensors it reads. */
export interface SavedLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The tensors of its one call (empty for the input layer). */
  readonly inputs: readonly TensorRef[];
}

/** A saved functional model: its layers, input and output tensors, and weights by name. */
export interface SavedModelFiles {
  /** model.json's path, for messages. */
  readonly file: string;
  readonly name: string;
  readonly layers: readonly SavedLayer[];
  readonly inputs: readonly TensorRef[];
  readonly outputs: readonly TensorRef[];
  /** Every weight, by its tfjs name `<layer>/<weight>`. */
  readonly weights: ReadonlyMap<string, SavedWeight>;
}

/** One float32 weight: shape and values in row-major order. */
export interface SavedWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const Ref = z
  .tuple([z.string(), z.number().int().min(0), z.number().int().min(0)])
  .rest(z.unknown());
const Layer = z.object({
  name: z.string().min(1),
  class_name: z.string().min(1),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: z.array(z.array(Ref)).max(1, 'a layer called more than once is not supported'),
});
const ModelJson = z.object({
  modelTopology: z.object({
    class_name: z.enum(['Model', 'Functional']),
    config: z.object({
      name: z.string(),
      layers: z.array(Layer).min(1),
      input_layers: z.array(Ref).min(1),
      output_layers: z.array(Ref).min(1),
    }),
  }),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().refine((p) => p !== '' && basename(p) === p, 'a file name')),
        weights: z.array(
          z.object({
            name: z.string(),
            shape: z.array(z.number().int().min(0)),
            dtype: z.literal('float32', 'only float32 weights are supported'),
          }),
        ),
      }),
    )
    .min(1),
});

/** Reads the saved model in `dir`; throws {@link ModelFilesError} naming the file at fault. */
export async function readSavedModelFiles(dir: string): Promise<SavedModelFiles> {
  const file = join(dir, MODEL_JSON);
  const json = ModelJson.safeParse(
    parseJson(file, await readOrThrow(file, 'the model (model.json)')),
  );
  if (!json.success) {
    const issue = json.error.issues[0];
    const at = issue === undefined ? '' : issue.path.map(String).join('.');
    const why = issue?.message ?? 'unexpected content';
    throw new ModelFilesError(file, `not a TensorFlow.js LayersModel: ${at}: ${why}`);
  }
  const { config } = json.data.modelTopology;
  const weights = new Map<string, SavedWeight>();
  for (const group of json.data.weightsManifest) {
    const parts = await Promise.all(
      group.paths.map((p) => readOrThrow(join(dir, p), 'network weights')),
    );
    const data = Buffer.concat(parts);
    const files = group.paths.map((p) => join(dir, p)).join(', ');
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * count > data.byteLength) {
        throw new ModelFilesError(
          files,
          `truncated: ${data.byteLength} bytes, ${w.name} needs more`,
        );
      }
      const values = new Float32Array(count);
      new Uint8Array(values.buffer).set(data.subarray(offset, offset + 4 * count));
      weights.set(w.name, { shape: w.shape, values });
      offset += 4 * count;
    }
    if (offset !== data.byteLength) {
      throw new ModelFilesError(files, `too long: ${data.byteLength} bytes, expected ${offset}`);
    }
  }
  return {
    file,
    name: config.name,
    layers: config.layers.map((l) => ({
      name: l.name,
      className: l.class_name,
      config: l.config,
      inputs: (l.inbound_nodes[0] ?? []).map(toRef),
    })),
    inputs: config.input_layers.map(toRef),
    outputs: config.output_layers.map(toRef),
    weights,
  };
}

function toRef(ref: z.infer<typeof Ref>): TensorRef {
  return { layer: ref[0], node: ref[1], tensor: ref[2] };
}

async function readOrThrow(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ModelFilesError(file, `missing ${what}`);
    throw new ModelFilesError(file, `cannot read ${what}: ${code || String(err)}`);
  }
}

function parseJson(file: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ModelFilesError(file, `not JSON (${err instanceof Error ? err.message : ''})`);
  }
}
