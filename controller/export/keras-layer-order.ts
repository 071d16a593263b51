/**
 * The order in which Keras 3 lists the layers of a functional model (`model.layers`), which is
 * also the order of config.json's layers and of the weights file's `layers/<class>_<n>` groups
 * (saving_lib numbers layers of one class in this order). Keras' `map_graph` (keras/src/ops/
 * function.py): a depth-first walk back from the outputs numbers each layer when first reached
 * (inputs of a call in order); a layer's depth is its longest path to an output; layers are listed
 * by decreasing depth, ties by that number. Every layer here is called exactly once.
 */
import { ModelFilesError, type SavedModelFiles, type SavedLayer } from './saved-model-files.ts';

/**
 * The layers of `model` that its outputs depend on, in Keras' order; throws {@link ModelFilesError}
 * when a tensor names a layer the model lacks or the layers form a cycle.
 */
export function kerasLayerOrder(model: SavedModelFiles): SavedLayer[] {
  const { postOrder, index } = walkBack(model);
  const depth = new Map<string, number>();
  for (const layer of [...postOrder].reverse()) {
    const d = depth.get(layer.name) ?? 0;
    depth.set(layer.name, d);
    for (const input of layer.inputs) {
      depth.set(input.layer, Math.max(d + 1, depth.get(input.layer) ?? 0));
    }
  }
  const key = (l: SavedLayer): [number, number] => [depth.get(l.name) ?? 0, index.get(l.name) ?? 0];
  return [...postOrder].sort((a, b) => {
    const [da, ia] = key(a);
    const [db, ib] = key(b);
    return db - da || ia - ib;
  });
}

/**
 * Keras' `_build_map`: depth first from each output, inputs of a call in order; every layer in
 * post-order (inputs before the layers that read them) and numbered when first reached.
 */
function walkBack(model: SavedModelFiles): {
  postOrder: SavedLayer[];
  index: Map<string, number>;
} {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const found = (name: string): SavedLayer => {
    const layer = byName.get(name);
    if (layer === undefined) throw new ModelFilesError(model.file, `no layer named "${name}"`);
    return layer;
  };
  const index = new Map<string, number>();
  const postOrder: SavedLayer[] = [];
  const finished = new Set<string>();
  const inProgress = new Set<string>();
  const visit = (layer: SavedLayer): void => {
    if (finished.has(layer.name)) return;
    if (inProgress.has(layer.name)) {
      throw new ModelFilesError(model.file, `layer "${layer.name}" is part of a cycle`);
    }
    if (!index.has(layer.name)) index.set(layer.name, index.size);
    inProgress.add(layer.name);
    for (const input of layer.inputs) visit(found(input.layer));
    inProgress.delete(layer.name);
    finished.add(layer.name);
    postOrder.push(layer);
  };
  for (const output of model.outputs) visit(found(output.layer));
  return { postOrder, index };
}
