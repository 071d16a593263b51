import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork } from '../../shared/network-plan.ts';
import { genotypeWithOutputsArb } from '../arbitraries/genotype.ts';
import { CIFAR, MOBILE } from '../fixtures/nasnet-networks.ts';

describe('network plan', () => {
  it('follows the ImageNet skeleton: VALID stem, two stem cells at f/4 and f/2, stacks at f, 2f, 4f', () => {
    const plan = planNetwork(NASNET_A, MOBILE);
    expect(plan.stem.output).toEqual({ height: 111, width: 111, channels: 32 });
    expect(plan.cells.map((c) => c.filters)).toEqual([
      11, 22, 44, 44, 44, 44, 88, 88, 88, 88, 88, 176, 176, 176, 176, 176,
    ]);
    expect(plan.cells.map((c) => c.position).join(' ')).toBe(
      'stem stem 0 0 0 0 1 1 1 1 1 2 2 2 2 2',
    );
    expect(plan.head.input).toEqual({ height: 7, width: 7, channels: 1056 });
    expect(plan.cells[0]?.inputs[1]).toMatchObject({
      source: 'stem',
      adjustment: { kind: 'none' },
    });
    expect(plan.cells[1]?.inputs[1]).toMatchObject({
      source: 'stem',
      adjustment: { kind: 'factorized_reduction', relu: true },
      shape: { height: 56, width: 56, channels: 22 },
    });
  });

  it('follows the CIFAR skeleton: the first cell reuses the raw stem as h_{i-1}', () => {
    const plan = planNetwork(NASNET_A, CIFAR);
    const first = plan.cells[0];
    expect(first?.inputs[1]).toMatchObject({ source: 'stem', shape: { channels: 96 } });
    // NASNet-A's normal cell outputs h_{i-1}: TF-slim's stride-1 factorized reduction brings it to F.
    expect(first?.outputs[0]).toMatchObject({
      state: 1,
      adjustment: { kind: 'conv_1x1', relu: false },
    });
    expect(first?.output.channels).toBe(6 * 32);
    expect(plan.cells[7]?.inputs[1].adjustment).toEqual({
      kind: 'factorized_reduction',
      relu: true,
    });
    expect(plan.head.input).toEqual({ height: 8, width: 8, channels: 768 });
  });

  it('attaches the aux head to the last normal cell of the second stack, and is JSON-able', () => {
    const plan = planNetwork(NASNET_A, { ...CIFAR, auxHead: true });
    expect(plan.auxHead?.cell).toBe(12);
    expect(plan.auxHead?.pooled).toEqual({ height: 4, width: 4, channels: 384 });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('gives a block concat the channels of both ops', () => {
    const blocks = NASNET_A.normal.blocks.map((b) => ({ ...b, combine: 'concat' as const }));
    const plan = planNetwork({ ...NASNET_A, normal: { ...NASNET_A.normal, blocks } }, CIFAR);
    expect(plan.cells[1]?.blocks[0]?.output.channels).toBe(64);
    expect(plan.cells[1]?.output.channels).toBe(32 + 5 * 64);
  });

  it('chains cells and keeps every shape consistent, for any genotype', () => {
    const skeleton = fc.constantFrom(CIFAR, { ...MOBILE, imageSize: 64 });
    fc.assert(
      fc.property(genotypeWithOutputsArb(), skeleton, (g, settings) => {
        const plan = planNetwork(g, { ...settings, cells: 2 });
        let previous = plan.stem.output;
        for (const cell of plan.cells) {
          expect(cell.inputs[0].input).toEqual(previous);
          previous = cell.output;
          const states = [...cell.inputs.map((i) => i.shape), ...cell.blocks.map((b) => b.output)];
          for (const { a, b } of cell.blocks) {
            expect([a.input, b.input]).toEqual([states[a.state], states[b.state]]);
            expect(a.output).toEqual(b.output);
          }
          let channels = 0;
          for (const out of cell.outputs) {
            expect([out.shape.height, out.shape.width]).toEqual([
              cell.output.height,
              cell.output.width,
            ]);
            channels += out.shape.channels;
          }
          expect(cell.output.channels).toBe(channels);
        }
        expect(plan.head.input).toEqual(previous);
      }),
    );
  });
});
