import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellOutputStates } from '../../shared/genotype.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { renderCellTable, renderGenotypeDot, renderGenotypeTable } from '../../shared/render.ts';
import { genotypeWithOutputsArb } from '../arbitraries/genotype.ts';

describe('rendering', () => {
  it('prints NASNet-A normal cell as a table with its explicit output', () => {
    const table = renderCellTable(NASNET_A.normal, 'normal');
    const lines = table.split('\n');
    expect(lines[0]).toBe('normal cell');
    expect(lines[1]).toMatch(/^state\s+input A\s+op A\s+input B\s+op B\s+combine$/);
    expect(lines[3]).toMatch(/^s2\s+h_i\s+sep_conv_5x5\s+h_\{i-1\}\s+sep_conv_3x3\s+add$/);
    expect(lines.at(-1)).toBe('output = concat(h_{i-1}, s2, s3, s4, s5, s6)  [explicit list]');
    expect(renderGenotypeTable(NASNET_A)).toContain('reduction cell');
  });

  it('draws every op edge and every output edge in DOT', () => {
    fc.assert(
      fc.property(genotypeWithOutputsArb(), (g) => {
        const dot = renderGenotypeDot(g, 'g');
        expect(dot.startsWith('digraph "g" {')).toBe(true);
        expect(dot.trimEnd().endsWith('}')).toBe(true);
        const edges = dot.split('\n').filter((l) => l.includes('->')).length;
        const expected = (['normal', 'reduction'] as const).reduce(
          (sum, name) => sum + 4 * g[name].blocks.length + cellOutputStates(g[name]).length,
          0,
        );
        expect(edges).toBe(expected);
      }),
    );
  });
});
