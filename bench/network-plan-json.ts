/**
 * A network plan written out for a builder outside TypeScript (bench/pytorch_reference.py): the
 * plan as planNetwork made it, with every op's parameters (shared/ops.ts), whether identity or
 * pooling projects (`opProjects`) and the two path widths of a factorized reduction
 * (`factorizedHalves`) spelled out, so the other builder reads decisions instead of re-deriving
 * them. The complexity count rides along: the other builder proves it built the same network by
 * matching `params`.
 */
import {
  factorizedHalves,
  opProjects,
  type Adjustment,
  type CellInputPlan,
  type CellOutputPlan,
  type CellPlan,
  type OpPlan,
} from '../shared/cell-plan.ts';
import { planComplexity, type Cost } from '../shared/complexity.ts';
import type { NetworkPlan } from '../shared/network-plan.ts';
import { opSpec, type OpSpec } from '../shared/ops.ts';

/** Format tag of {@link PlanExport}; bump it when a field changes meaning. */
export const PLAN_EXPORT_FORMAT = 'cellsearch.plan-export.v1';

/** An adjustment with the widths of its factorized-reduction paths ([] for the other kinds). */
export type ExportedAdjustment = Adjustment & { readonly halves: readonly number[] };

/** An op with its parameters and, for identity and pooling, whether it ends in 1x1 conv -> BN. */
export interface ExportedOp extends OpPlan {
  readonly spec: OpSpec;
  readonly projects: boolean;
}

/** A cell whose ops and adjustments carry the decisions above. */
export interface ExportedCell extends Omit<CellPlan, 'inputs' | 'blocks' | 'outputs'> {
  readonly inputs: readonly (Omit<CellInputPlan, 'adjustment'> & {
    readonly adjustment: ExportedAdjustment;
  })[];
  readonly blocks: readonly (Omit<CellPlan['blocks'][number], 'a' | 'b'> & {
    readonly a: ExportedOp;
    readonly b: ExportedOp;
  })[];
  readonly outputs: readonly (Omit<CellOutputPlan, 'adjustment'> & {
    readonly adjustment: ExportedAdjustment;
  })[];
}

/** How one training step runs: the same numbers the tfjs benchmark trains with. */
export interface ExportedTraining {
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  /** L2 on conv and dense kernels, added to the loss as weightDecay / 2 x sum of squares. */
  readonly weightDecay: number;
  /** Global gradient-norm clip (0 = off). */
  readonly gradClipNorm: number;
  readonly labelSmoothing: number;
}

/** Everything another builder needs to build and train the planned network; JSON-able. */
export interface PlanExport {
  readonly format: typeof PLAN_EXPORT_FORMAT;
  /** What the plan was made from, in words (e.g. `NASNet-A 2@384`). */
  readonly name: string;
  readonly settings: NetworkPlan['settings'];
  readonly stem: NetworkPlan['stem'];
  readonly cells: readonly ExportedCell[];
  readonly auxHead: NetworkPlan['auxHead'];
  readonly head: NetworkPlan['head'];
  /** BN moving-average momentum (TF-slim `decay`) and epsilon. */
  readonly batchNorm: { readonly momentum: number; readonly epsilon: number };
  readonly training: ExportedTraining;
  /** `planComplexity(plan)`: `params` is what the other builder's trainable count must equal. */
  readonly complexity: Cost;
}

/** Exports `plan` with the decisions spelled out, the BN settings and the training step's settings. */
export function exportPlan(
  plan: NetworkPlan,
  extra: Pick<PlanExport, 'name' | 'batchNorm' | 'training'>,
): PlanExport {
  const { params, bnStatistics, multAdds } = planComplexity(plan);
  return {
    format: PLAN_EXPORT_FORMAT,
    name: extra.name,
    settings: plan.settings,
    stem: plan.stem,
    cells: plan.cells.map(exportCell),
    auxHead: plan.auxHead,
    head: plan.head,
    batchNorm: { momentum: extra.batchNorm.momentum, epsilon: extra.batchNorm.epsilon },
    training: {
      batchSize: extra.training.batchSize,
      learningRate: extra.training.learningRate,
      momentum: extra.training.momentum,
      weightDecay: extra.training.weightDecay,
      gradClipNorm: extra.training.gradClipNorm,
      labelSmoothing: extra.training.labelSmoothing,
    },
    complexity: { params, bnStatistics, multAdds },
  };
}

function exportCell(cell: CellPlan): ExportedCell {
  return {
    ...cell,
    inputs: cell.inputs.map((input) => ({
      ...input,
      adjustment: exportAdjustment(input.adjustment, input.shape.channels),
    })),
    blocks: cell.blocks.map((block) => ({
      ...block,
      a: exportOp(block.a),
      b: exportOp(block.b),
    })),
    outputs: cell.outputs.map((out) => ({
      ...out,
      adjustment: exportAdjustment(out.adjustment, out.shape.channels),
    })),
  };
}

function exportOp(op: OpPlan): ExportedOp {
  const spec = opSpec(op.op);
  const projects = opProjects(spec, op.input.channels, op.output.channels, op.stride);
  return { ...op, spec, projects };
}

function exportAdjustment(adjustment: Adjustment, channels: number): ExportedAdjustment {
  const halves = adjustment.kind === 'factorized_reduction' ? factorizedHalves(channels) : [];
  return { ...adjustment, halves: [...halves] };
}
