/**
 * `model.weights.h5` of a Keras 3 `.keras` file, in the layout keras/src/saving/saving_lib.py
 * writes and reads: the model's own (empty) `vars` group at the root, then one group per layer,
 * `layers/<snake_case class name>[_<n>]/vars`, numbered per class in `model.layers` order, holding
 * the layer's variables as datasets `0`, `1`, ... (trainable ones first, in creation order); each
 * `vars` group carries the layer's name as attribute `name`. Written with h5wasm (HDF5 in
 * WebAssembly) to a file, as HDF5 needs one.
 */
import h5wasm, { type Group } from 'h5wasm/node';

/** One `vars` group: where it goes, the name of the model or layer it belongs to, its variables. */
export interface VarsGroup {
  /** `""` for the model itself, else `layers/<class>_<n>`. */
  readonly path: string;
  readonly name: string;
  readonly variables: readonly {
    readonly shape: readonly number[];
    readonly values: Float32Array;
  }[];
}

/** Writes `groups` as a Keras 3 weights file at `file` (replaced if there). */
export async function writeKerasWeights(file: string, groups: readonly VarsGroup[]): Promise<void> {
  await h5wasm.ready;
  const h5 = new h5wasm.File(file, 'w');
  const made = new Map<string, Group>([['', h5]]);
  try {
    for (const group of groups) {
      const vars = makeGroup(made, group.path === '' ? 'vars' : `${group.path}/vars`);
      vars.create_attribute('name', group.name);
      group.variables.forEach((v, i) => {
        // Little-endian float32, the dtype h5py gives a float32 numpy array ('<f4').
        vars.create_dataset({ name: String(i), data: v.values, shape: [...v.shape], dtype: '<f' });
      });
    }
  } finally {
    h5.close();
  }
}

/** The group at `path`, made level by level (h5wasm makes one level per call); `made` caches them. */
function makeGroup(made: Map<string, Group>, path: string): Group {
  const known = made.get(path);
  if (known !== undefined) return known;
  const cut = path.lastIndexOf('/');
  const parent = makeGroup(made, cut < 0 ? '' : path.slice(0, cut));
  const group = parent.create_group(path.slice(cut + 1));
  made.set(path, group);
  return group;
}
