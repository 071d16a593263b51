/**
 * A genotype as one line of text, for tables and CSV: each cell's blocks in canonical order as
 * `combine(input:op input:op)`, then the explicit output states when the cell lists them. Two
 * genotypes with the same canonical hash get the same line. Hidden states are numbered as in the
 * JSON form: 0 = h_i, 1 = h_{i-1}, 2 + b = block b's output.
 */
import { canonicalGenotype } from './canonical.ts';
import { CELL_NAMES, type Block, type Cell, type Genotype } from './genotype.ts';

/** `normal: add(0:sep_conv_5x5 1:sep_conv_3x3) ... | reduction: ...`, canonical, on one line. */
export function genotypeText(genotype: Genotype): string {
  const canonical = canonicalGenotype(genotype);
  return CELL_NAMES.map((name) => `${name}: ${cellText(canonical[name])}`).join(' | ');
}

/** One cell's blocks and explicit outputs; `-` for a cell without blocks. */
export function cellText(cell: Cell): string {
  const blocks = cell.blocks.map(blockText);
  if (cell.output !== undefined) blocks.push(`out(${cell.output.join(' ')})`);
  return blocks.length === 0 ? '-' : blocks.join(' ');
}

function blockText(b: Block): string {
  return `${b.combine}(${b.inputA}:${b.opA} ${b.inputB}:${b.opB})`;
}
