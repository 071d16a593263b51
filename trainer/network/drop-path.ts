/**
 * ScheduledDropPath (TF-slim nasnet_utils.py `_apply_drop_path`): in training, every non-identity
 * op output of cell c is zeroed per example with probability 1 - keep and otherwise scaled by
 * 1 / keep, with keep falling linearly over training to a cell-dependent floor.
 */
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';

/**
 * Keep probability of cell `cell` (build order, 0-based) of `cells` at training progress t/T:
 * 1 - min(1, t/T) * ((c + 1) / C) * (1 - p), with p the final keep probability (TF-slim
 * `nasnet_utils.py`, `_apply_drop_path`; see docs/nasnet.md#ops-and-cell-wiring).
 */
export function dropPathKeep(
  finalKeep: number,
  cell: number,
  cells: number,
  progress: number,
): number {
  const t = Math.min(1, Math.max(0, progress));
  return 1 - t * ((cell + 1) / cells) * (1 - finalKeep);
}

/**
 * x / keep * mask, with one Bernoulli(keep) draw per example from `seed`; x itself when keep >= 1.
 */
export function dropPath(x: Tensor4D, keep: number, seed: number): Tensor4D {
  if (keep >= 1) return x;
  const [batch] = x.shape;
  const uniform = tf.randomUniform([batch, 1, 1, 1], 0, 1, 'float32', seed);
  const scale = tf.div(tf.floor(tf.add(uniform, keep)), keep);
  return tf.mul(x, scale);
}
