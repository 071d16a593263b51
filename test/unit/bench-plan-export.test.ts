import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportPlan, PLAN_EXPORT_FORMAT, type PlanExport } from '../../bench/network-plan-json.ts';
import { factorizedHalves, opProjects } from '../../shared/cell-plan.ts';
import { complexity } from '../../shared/complexity.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork, type NetworkPlan } from '../../shared/network-plan.ts';
import type { Skeleton } from '../../shared/network-settings.ts';
import { opSpec } from '../../shared/ops.ts';
import { genotypeWithOutputsArb } from '../arbitraries/genotype.ts';
import { NETWORK } from '../../bench/bench-networks.ts';

const BENCH = NETWORK;

const EXTRA = {
  name: 'test',
  batchNorm: { momentum: 0.9, epsilon: 1e-5 },
  training: {
    batchSize: 64,
    learningRate: 0.025,
    momentum: 0.9,
    weightDecay: 5e-4,
    gradClipNorm: 5,
    labelSmoothing: 0,
  },
};

/** Every decision the export spells out agrees with the shared functions that make it. */
function expectDecisionsSpelledOut(exported: PlanExport): void {
  for (const cell of exported.cells) {
    for (const block of cell.blocks) {
      for (const op of [block.a, block.b]) {
        expect(op.spec).toEqual(opSpec(op.op));
        expect(op.projects).toBe(
          opProjects(op.spec, op.input.channels, op.output.channels, op.stride),
        );
      }
    }
    for (const { adjustment, shape } of [...cell.inputs, ...cell.outputs]) {
      const expected =
        adjustment.kind === 'factorized_reduction' ? [...factorizedHalves(shape.channels)] : [];
      expect(adjustment.halves).toEqual(expected);
    }
  }
}

/** The export without its annotations: what planNetwork made. */
function strip(exported: PlanExport): Omit<NetworkPlan, 'cells'> & { cells: unknown[] } {
  const plain = (a: { kind: string; relu?: boolean }): object =>
    a.relu === undefined ? { kind: a.kind } : { kind: a.kind, relu: a.relu };
  return {
    settings: exported.settings,
    stem: exported.stem,
    auxHead: exported.auxHead,
    head: exported.head,
    cells: exported.cells.map((cell) => ({
      ...cell,
      inputs: cell.inputs.map((i) => ({ ...i, adjustment: plain(i.adjustment) })),
      blocks: cell.blocks.map((b) => ({
        ...b,
        a: {
          state: b.a.state,
          op: b.a.op,
          stride: b.a.stride,
          input: b.a.input,
          output: b.a.output,
        },
        b: {
          state: b.b.state,
          op: b.b.op,
          stride: b.b.stride,
          input: b.b.input,
          output: b.b.output,
        },
      })),
      outputs: cell.outputs.map((o) => ({ ...o, adjustment: plain(o.adjustment) })),
    })),
  };
}

describe('the plan export for the PyTorch reference', () => {
  it("NASNet-A 2@384: carries complexity()'s counts and survives JSON", () => {
    const exported = exportPlan(planNetwork(NASNET_A, BENCH), EXTRA);
    const { params, bnStatistics, multAdds } = complexity(NASNET_A, BENCH);
    expect(exported.complexity).toEqual({ params, bnStatistics, multAdds });
    expect(exported.format).toBe(PLAN_EXPORT_FORMAT);
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
    expect(exported.cells).toHaveLength(8);
    expectDecisionsSpelledOut(exported);
  });

  it('keeps only the settings a training step needs', () => {
    const training = { ...EXTRA.training, epochs: 20, cutout: 16 };
    const exported = exportPlan(planNetwork(NASNET_A, BENCH), { ...EXTRA, training });
    expect(exported.training).toEqual(EXTRA.training);
  });

  it('any genotype: the plan unchanged underneath, every decision spelled out', () => {
    const skeletonArb = fc.constantFrom<Skeleton>('cifar', 'imagenet');
    fc.assert(
      fc.property(genotypeWithOutputsArb(), skeletonArb, (genotype, skeleton) => {
        const settings = { ...BENCH, skeleton, imageSize: skeleton === 'cifar' ? 32 : 96 };
        const plan = planNetwork(genotype, { ...settings, filters: 96, auxHead: true });
        const exported = exportPlan(plan, EXTRA);
        expect(strip(exported)).toEqual(plan);
        expectDecisionsSpelledOut(exported);
        expect(exported.complexity.params).toBe(complexity(genotype, plan.settings).params);
      }),
      { numRuns: 50 },
    );
  });
});
