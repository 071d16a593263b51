/** Renders genotypes for people: a cell as a fixed-width text table, and both cells as Graphviz DOT. */
import {
  CELL_NAMES,
  cellOutputStates,
  stateLabel,
  type Cell,
  type CellName,
  type Genotype,
} from './genotype.ts';
import { printable } from './printable.ts';

const HEADER = ['state', 'input A', 'op A', 'input B', 'op B', 'combine'] as const;

/** A cell as a text table, one row per block, followed by the states its output concatenates. */
export function renderCellTable(cell: Cell, name: CellName): string {
  const rows: string[][] = [[...HEADER]];
  cell.blocks.forEach((block, b) => {
    rows.push([
      stateLabel(2 + b),
      stateLabel(block.inputA),
      block.opA,
      stateLabel(block.inputB),
      block.opB,
      block.combine,
    ]);
  });
  const widths = HEADER.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((text, col) => text.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const rule = cell.output === undefined ? 'unused states' : 'explicit list';
  const output = cellOutputStates(cell).map(stateLabel).join(', ');
  return [`${name} cell`, ...lines, `output = concat(${output})  [${rule}]`].join('\n');
}

/** Both cells as text tables, with the index convention spelled out once. */
export function renderGenotypeTable(genotype: Genotype): string {
  const legend =
    'states: h_i = previous cell output, h_{i-1} = the one before, s<k> = output of block k-2';
  return [legend, ...CELL_NAMES.map((name) => renderCellTable(genotype[name], name))].join('\n\n');
}

/** Both cells as one Graphviz digraph with a cluster per cell: inputs, one node per op, combines, output. */
export function renderGenotypeDot(genotype: Genotype, title = 'genotype'): string {
  const lines = [
    `digraph ${quote(title)} {`,
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11];',
  ];
  for (const name of CELL_NAMES) lines.push(...cellDot(genotype[name], name));
  lines.push('}');
  return lines.join('\n') + '\n';
}

function cellDot(cell: Cell, name: CellName): string[] {
  const id = (state: number): string => quote(`${name}_${stateLabel(state)}`);
  const lines = [`  subgraph ${quote(`cluster_${name}`)} {`, `    label=${quote(`${name} cell`)};`];
  lines.push(`    ${id(0)} [label="h_i", shape=box, style=filled, fillcolor=lightblue];`);
  lines.push(`    ${id(1)} [label="h_{i-1}", shape=box, style=filled, fillcolor=lightblue];`);
  cell.blocks.forEach((block, b) => {
    const state = 2 + b;
    lines.push(
      `    ${id(state)} [label=${quote(`${stateLabel(state)}: ${block.combine}`)}, shape=circle];`,
    );
    for (const [operand, input, op] of [
      ['A', block.inputA, block.opA],
      ['B', block.inputB, block.opB],
    ] as const) {
      const opId = quote(`${name}_b${b}_${operand}`);
      lines.push(`    ${opId} [label=${quote(op)}, shape=box, style=rounded];`);
      lines.push(`    ${id(input)} -> ${opId};`, `    ${opId} -> ${id(state)};`);
    }
  });
  const out = quote(`${name}_output`);
  lines.push(`    ${out} [label="concat", shape=box, style=filled, fillcolor=palegreen];`);
  for (const state of cellOutputStates(cell)) lines.push(`    ${id(state)} -> ${out};`);
  lines.push('  }');
  return lines;
}

/** A DOT quoted string; controls escaped first (a title can be a file name or a stored hash). */
function quote(text: string): string {
  return `"${printable(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
