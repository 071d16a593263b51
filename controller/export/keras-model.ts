/**
 * A saved model as a Keras 3 functional model: `config.json` as Keras' `serialize_keras_object`
 * writes a `Functional` (each layer with module, class_name, config, registered_name, its
 * build_config where Keras records one, and its call as Keras 3 inbound_nodes: `args` of
 * `__keras_tensor__` objects and `kwargs`), and the weights as `model.weights.h5`'s groups. The
 * layers come in Keras' own order (./keras-layer-order.ts), so the weights file's per-class
 * numbering is the one Keras recomputes when it loads the model.
 */
import { UnsupportedError } from '../../shared/errors.ts';
import { kerasLayerKind, type KerasShape } from './keras-layer-kinds.ts';
import { kerasLayerOrder } from './keras-layer-order.ts';
import type { VarsGroup } from './keras-weights-h5.ts';
import {
  ModelFilesError,
  type SavedLayer,
  type SavedModelFiles,
  type TensorRef,
} from './saved-model-files.ts';

/** What a `.keras` file holds besides its metadata. */
export interface KerasModel {
  /** config.json's object. */
  readonly config: Readonly<Record<string, unknown>>;
  /** model.weights.h5's `vars` groups, the model's own first. */
  readonly weights: readonly VarsGroup[];
}

/** One layer and the tensors it reads, with their shapes. */
interface Placed {
  readonly layer: SavedLayer;
  readonly inputs: readonly { readonly ref: TensorRef; readonly shape: KerasShape }[];
}

/**
 * The Keras 3 form of `saved`; throws when a layer is of a class the export lacks, a layer is
 * called twice, or the weights do not match the layers (missing, unused).
 */
export function kerasModel(saved: SavedModelFiles): KerasModel {
  const shapes = new Map<string, KerasShape>();
  const placed = kerasLayerOrder(saved).map((layer): Placed => {
    const inputs = layer.inputs.map((ref) => ({ ref, shape: shapeOf(saved, shapes, ref) }));
    const kind = kerasLayerKind(layer.className, layer.name);
    const output = kind.outputShape(
      layer,
      inputs.map((i) => i.shape),
    );
    shapes.set(layer.name, output);
    return { layer, inputs };
  });
  const layers = placed.map(layerEntry);
  const refs = (rs: readonly TensorRef[]): unknown => {
    const list = rs.map((r) => [r.layer, r.node, r.tensor]);
    return list.length === 1 ? list[0] : list;
  };
  const config = {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: saved.name,
      trainable: true,
      layers,
      input_layers: refs(saved.inputs),
      output_layers: refs(saved.outputs),
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: null,
  };
  const order = placed.map((p) => p.layer);
  return { config, weights: weightGroups(saved, order) };
}

/** A layer as an element of the Functional config's `layers`. */
function layerEntry({ layer, inputs }: Placed): Record<string, unknown> {
  const kind = kerasLayerKind(layer.className, layer.name);
  const isInput = layer.className === 'InputLayer';
  const trainable = layer.config['trainable'] !== false;
  const config = isInput
    ? { ...kind.config(layer), name: layer.name }
    : { name: layer.name, trainable, ...kind.config(layer) };
  const tensors = inputs.map(({ ref, shape }) => ({
    class_name: '__keras_tensor__',
    config: { shape, dtype: 'float32', keras_history: [ref.layer, ref.node, ref.tensor] },
  }));
  const shapes = inputs.map((i) => i.shape);
  return {
    module: 'keras.layers',
    class_name: layer.className,
    config,
    registered_name: null,
    ...(kind.buildConfig ? { build_config: { input_shape: kind.merge ? shapes : shapes[0] } } : {}),
    name: layer.name,
    inbound_nodes: isInput
      ? []
      : [{ args: [kind.merge ? tensors : tensors[0]], kwargs: { ...kind.callKwargs } }],
  };
}

/** The output shape of the tensor `ref` names, computed before (Keras' order is topological). */
function shapeOf(
  saved: SavedModelFiles,
  shapes: ReadonlyMap<string, KerasShape>,
  ref: TensorRef,
): KerasShape {
  if (ref.node !== 0 || ref.tensor !== 0) {
    throw new UnsupportedError(
      `${saved.file}: layer ${ref.layer} is read at [${ref.node}, ${ref.tensor}]; only layers called once, with one output, are supported`,
    );
  }
  const shape = shapes.get(ref.layer);
  if (shape === undefined)
    throw new ModelFilesError(saved.file, `layer ${ref.layer} is not computed first`);
  return shape;
}

/**
 * The root `vars` group, then each layer's `layers/<snake_case class>[_<n>]/vars` with its
 * weights in Keras' variable order; every saved weight must be taken exactly once.
 */
function weightGroups(saved: SavedModelFiles, layers: readonly SavedLayer[]): VarsGroup[] {
  const used = new Set<string>();
  const perClass = new Map<string, number>();
  const groups: VarsGroup[] = [{ path: '', name: saved.name, variables: [] }];
  for (const layer of layers) {
    const base = snakeCase(layer.className);
    const n = perClass.get(base);
    perClass.set(base, n === undefined ? 0 : n + 1);
    const names = kerasLayerKind(layer.className, layer.name)
      .weights(layer)
      .map((w) => `${layer.name}/${w}`);
    const variables = names.map((name) => {
      const weight = saved.weights.get(name);
      if (weight === undefined) throw new ModelFilesError(saved.file, `weight ${name} is missing`);
      used.add(name);
      return weight;
    });
    const path = `layers/${n === undefined ? base : `${base}_${n + 1}`}`;
    groups.push({ path, name: layer.name, variables });
  }
  const unused = [...saved.weights.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) {
    const shown = unused.slice(0, 5).join(', ');
    const more = unused.length > 5 ? ` and ${unused.length - 5} more` : '';
    throw new ModelFilesError(saved.file, `weights not used by any layer: ${shown}${more}`);
  }
  return groups;
}

/** Keras' `naming.to_snake_case` of a class name: `ReLU` -> `re_lu`, `Conv2D` -> `conv2d`. */
export function snakeCase(name: string): string {
  const words = name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return words.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
