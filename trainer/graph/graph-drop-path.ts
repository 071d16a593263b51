/**
 * ScheduledDropPath in the graph (trainer/network/drop-path.ts): the keep probability of each cell
 * is computed in the graph from a fed training progress, and each site's per-example mask comes
 * from StatelessRandomUniform with a fed per-step seed plus the site's index, so a step is
 * reproducible from (seed, progress). The masks are not tfjs's: drop path agrees with the eager
 * build in distribution, not draw by draw (at progress 0, where keep is 1, it agrees exactly).
 */
import { DTYPE, type GraphOutput } from './graph-addon.ts';
import { attr, intTensor, type GraphBuilder } from './graph-builder.ts';

/** The fed inputs drop path reads: `progress` (t/T, default 0) and `seed` (int32 [2], default 0s). */
export interface DropPathInputs {
  readonly progress: GraphOutput;
  readonly seed: GraphOutput;
}

/** The two inputs, as placeholders with defaults (a step that feeds neither drops nothing). */
export function dropPathInputs(b: GraphBuilder): DropPathInputs {
  const progress = b.op1(
    'PlaceholderWithDefault',
    [b.scalar(0)],
    { dtype: attr.type(DTYPE.float32), shape: attr.shape([]) },
    { name: 'progress' },
  );
  const seed = b.op1(
    'PlaceholderWithDefault',
    [b.constant(intTensor([2], [0, 0]))],
    { dtype: attr.type(DTYPE.int32), shape: attr.shape([2]) },
    { name: 'seed' },
  );
  return { progress, seed };
}

/** 1 - clip(progress, 0, 1) x ((cell + 1) / cells) x (1 - finalKeep), as drop-path.ts `dropPathKeep`. */
export function cellKeep(
  b: GraphBuilder,
  inputs: DropPathInputs,
  finalKeep: number,
  cell: number,
  cells: number,
): GraphOutput {
  const t = b.op1('Minimum', [b.op1('Maximum', [inputs.progress, b.scalar(0)]), b.scalar(1)]);
  const drop = b.op1('Mul', [t, b.scalar(((cell + 1) / cells) * (1 - finalKeep))]);
  return b.op1('Sub', [b.scalar(1), drop]);
}

/** x / keep x floor(u + keep), u uniform per example from (seed + [0, site]). */
export function dropPathGraph(
  b: GraphBuilder,
  inputs: DropPathInputs,
  x: GraphOutput,
  keep: GraphOutput,
  site: number,
  batch: number,
): GraphOutput {
  const seed = b.op1('AddV2', [inputs.seed, b.constant(intTensor([2], [0, site]))]);
  const uniform = b.op1('StatelessRandomUniform', [b.ints([batch, 1, 1, 1]), seed], {
    dtype: attr.type(DTYPE.float32),
  });
  const mask = b.op1('Floor', [b.op1('AddV2', [uniform, keep])]);
  return b.op1('Mul', [x, b.op1('RealDiv', [mask, keep])]);
}
