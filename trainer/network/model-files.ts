/**
 * A folder as a TensorFlow.js model store, on every backend: `model.json` (the layout tfjs-node's
 * `file://` handler and the converter write: modelTopology, format, weightsManifest,
 * userDefinedMetadata) beside one weights shard, `weights.bin`. Loading checks every file and names
 * the one at fault, so `tf.loadLayersModel(modelFolder(dir))` fails with a sentence, not a stack.
 */
import { writeOutputFile } from '../../runtime/output-file.ts';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../tf.ts';
import { CorruptNetworkFileError, MissingNetworkFileError } from './errors.ts';
import { readWeightBytes } from './weights-file.ts';

/** File names inside a saved model's folder. */
export const MODEL_FILES = Object.freeze({ model: 'model.json', weights: 'weights.bin' });

/** An IOHandler that saves a model into `dir` and loads it from there. */
export function modelFolder(dir: string): tf.io.IOHandler {
  return {
    save: (artifacts) => saveArtifacts(dir, artifacts),
    load: async () => {
      const { file, json } = await readModelJson(dir);
      if (typeof json.modelTopology !== 'object' || json.modelTopology === null) {
        throw new CorruptNetworkFileError(
          file,
          'no modelTopology: not a TensorFlow.js LayersModel (a model saved by an older cellsearch must be trained again)',
        );
      }
      const topology: object = json.modelTopology;
      const modelJson: tf.io.ModelJSON = {
        ...json,
        modelTopology: topology,
        weightsManifest: [],
      };
      const weights = await readWeightBytes(dir, file, json.weightsManifest);
      return tf.io.getModelArtifactsForJSON(modelJson, () =>
        Promise.resolve([[...weights.specs], weights.data]),
      );
    },
  };
}

/** model.json of `dir` as a JSON object; throws a NetworkFileError naming the file. */
export async function readModelJson(
  dir: string,
): Promise<{ file: string; json: Readonly<Record<string, unknown>> }> {
  const file = join(dir, MODEL_FILES.model);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MissingNetworkFileError(file, 'the model description (model.json)');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : '';
    throw new CorruptNetworkFileError(file, `not JSON (${why})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptNetworkFileError(file, 'expected a JSON object');
  }
  return { file, json: Object.fromEntries(Object.entries(value)) };
}

/** Writes the weights as one shard, then model.json (so a model.json always has its weights). */
async function saveArtifacts(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('modelFolder: a binary (GraphDef) topology cannot be saved as model.json');
  }
  const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.userDefinedMetadata === undefined
      ? {}
      : { userDefinedMetadata: artifacts.userDefinedMetadata }),
  };
  await mkdir(dir, { recursive: true });
  await writeOutputFile(join(dir, MODEL_FILES.weights), new Uint8Array(data));
  await writeOutputFile(join(dir, MODEL_FILES.model), `${JSON.stringify(json)}\n`);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}
