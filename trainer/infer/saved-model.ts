/**
 * A saved LayersModel opened for inference: loaded with `tf.loadLayersModel` from its folder,
 * with the image shape it takes, its classes and their names (from cellsearch's metadata, when the
 * model has it), and its logits when it names the layer that computes them.
 */
import { join } from 'node:path';
import { CellsearchError } from '../../shared/errors.ts';
import { CorruptNetworkFileError } from '../network/errors.ts';
import { LOGITS_LAYER } from '../network/layers-model.ts';
import { MODEL_FILES, modelFolder } from '../network/model-files.ts';
import type { ImageShape } from '../data/image-dataset.ts';
import { tf } from '../tf.ts';

/** A model ready to classify images. */
export interface SavedModel {
  /** Input: NHWC pixel values 0..255; output: class probabilities. */
  readonly model: tf.LayersModel;
  /** The same model up to its logits; null when it has no layer named `head.dense`. */
  readonly logits: tf.LayersModel | null;
  readonly input: ImageShape;
  readonly classes: number;
  readonly classNames?: readonly string[];
  /** The dataset spec `nas-trainer train` recorded in model.json, unchecked text; absent if none. */
  readonly dataset?: string;
  dispose(): void;
}

/** Loads the model saved in `dir`; throws a NetworkFileError naming the file at fault. */
export async function openSavedModel(dir: string): Promise<SavedModel> {
  const file = join(dir, MODEL_FILES.model);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(modelFolder(dir));
  } catch (err) {
    if (err instanceof CellsearchError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new CorruptNetworkFileError(file, `not a loadable TensorFlow.js LayersModel: ${why}`);
  }
  const input = imageShape(file, model);
  const classes = outputClasses(file, model);
  const names = classNames(model, classes);
  const dataset = cellsearchField(model, 'dataset');
  const logits = model.layers.some((l) => l.name === LOGITS_LAYER)
    ? tf.model({ inputs: model.inputs, outputs: model.getLayer(LOGITS_LAYER).output })
    : null;
  return {
    model,
    logits,
    input,
    classes,
    ...(names === undefined ? {} : { classNames: names }),
    ...(typeof dataset === 'string' ? { dataset } : {}),
    dispose: () => model.dispose(),
  };
}

function imageShape(file: string, model: tf.LayersModel): ImageShape {
  const [first, ...more] = model.inputs;
  const [, height, width, channels] = first?.shape ?? [];
  if (
    more.length > 0 ||
    first?.shape.length !== 4 ||
    typeof height !== 'number' ||
    typeof width !== 'number' ||
    typeof channels !== 'number'
  ) {
    const shapes = model.inputs.map((i) => `[${i.shape.join(', ')}]`).join(', ');
    throw new CorruptNetworkFileError(
      file,
      `the model takes ${shapes}; expected one image input [batch, height, width, channels]`,
    );
  }
  return { height, width, channels };
}

function outputClasses(file: string, model: tf.LayersModel): number {
  const [first, ...more] = model.outputs;
  const classes = first?.shape[1];
  if (more.length > 0 || first?.shape.length !== 2 || typeof classes !== 'number') {
    const shapes = model.outputs.map((o) => `[${o.shape.join(', ')}]`).join(', ');
    throw new CorruptNetworkFileError(
      file,
      `the model gives ${shapes}; expected one output of class probabilities [batch, classes]`,
    );
  }
  return classes;
}

/** Field `key` of cellsearch's metadata in model.json, unchecked; undefined when absent. */
function cellsearchField(model: tf.LayersModel, key: string): unknown {
  const meta: unknown = model.getUserDefinedMetadata();
  if (typeof meta !== 'object' || meta === null || !('cellsearch' in meta)) return undefined;
  const { cellsearch } = meta;
  if (typeof cellsearch !== 'object' || cellsearch === null) return undefined;
  return Object.hasOwn(cellsearch, key) ? (cellsearch as Record<string, unknown>)[key] : undefined;
}

/** The class names of cellsearch's metadata, when present and one per class. */
function classNames(model: tf.LayersModel, classes: number): readonly string[] | undefined {
  const names = cellsearchField(model, 'classNames');
  if (!Array.isArray(names) || names.length !== classes) return undefined;
  return names.every((n) => typeof n === 'string') ? names.map(String) : undefined;
}
