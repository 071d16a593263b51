/**
 * Flatteners: many tensors of fixed shapes into one 1-D tensor, so that an optimiser updates all
 * parameters with a handful of ops instead of a handful per parameter. Composed, it is a reshape
 * per tensor and one concat; on tensorflow it is one DynamicStitch, whose index tensors (each
 * shaped like its tensor, counting through the flat vector) are made once.
 */
import { tf } from '../tf.ts';
import type { Tensor } from '../tf.ts';
import type { Flattener } from './backend-profile.ts';
import { DYNAMIC_STITCH } from './tensorflow-kernels.ts';

function checkCount(tensors: readonly Tensor[], shapes: readonly (readonly number[])[]): void {
  if (tensors.length !== shapes.length) {
    throw new Error(`flatten: expected ${shapes.length} tensors, got ${tensors.length}`);
  }
}

/** reshape([-1]) each and concatenate: works on every backend. */
export function concatFlattener(shapes: readonly (readonly number[])[]): Flattener {
  return {
    flatten: (tensors) => {
      checkCount(tensors, shapes);
      return tf.concat(tensors.map((t) => t.reshape([-1])));
    },
    dispose: () => undefined,
  };
}

/** One DynamicStitch call (the `tensorflow` backend's kernel of ./tensorflow-kernels.ts). */
export function stitchFlattener(shapes: readonly (readonly number[])[]): Flattener {
  let offset = 0;
  const indices = shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Int32Array.from({ length: size }, (_, i) => offset + i);
    offset += size;
    return tf.keep(tf.tensor(values, [...shape], 'int32'));
  });
  return {
    flatten: (tensors) => {
      checkCount(tensors, shapes);
      const inputs: Record<string, Tensor> = {};
      tensors.forEach((t, i) => {
        inputs[`indices${i}`] = indices[i] ?? t;
        inputs[`data${i}`] = t;
      });
      return tf.engine().runKernel<Tensor>(DYNAMIC_STITCH, inputs, { n: tensors.length });
    },
    dispose: () => {
      for (const t of indices) t.dispose();
    },
  };
}
