/**
 * Genotypes: a Normal cell and a Reduction cell, each a list of blocks.
 *
 * Hidden-state index convention (the one place it is defined):
 *   0       = h_i,     the output of the previous cell (the most recent input);
 *   1       = h_{i-1}, the output of the cell before that (or the stem / raw input);
 *   2 + b   = the output of block b of this cell (b = 0 .. B-1).
 * Block b may read any state with index < 2 + b, and may read the same state twice.
 * This matches the released TF-slim NASNet code (net[0] = current input, net[1] = prev_layer).
 */
import type { OpName } from './ops.ts';
import type { Combine } from './search-space.ts';

/** Index of a hidden state inside a cell; see the module comment for the convention. */
export type StateIndex = number;

/** The two cell kinds: Normal keeps height and width; Reduction halves them and doubles filters. */
export type CellName = 'normal' | 'reduction';

/** Both cell kinds, Normal first (the decision encoding's order). */
export const CELL_NAMES: readonly CellName[] = Object.freeze(['normal', 'reduction'] as const);

/** One block: two hidden-state inputs, an op applied to each, and how the two results combine. */
export interface Block {
  readonly inputA: StateIndex;
  readonly opA: OpName;
  readonly inputB: StateIndex;
  readonly opB: OpName;
  readonly combine: Combine;
}

/**
 * A cell: B blocks and, optionally, an explicit list of the states concatenated as its output
 * (needed to reproduce the released NASNet-A). Without it, the paper's rule applies: the output
 * is the concatenation of the block outputs that no block of the cell consumed.
 */
export interface Cell {
  readonly blocks: readonly Block[];
  readonly output?: readonly StateIndex[];
}

/** A genotype: the searched Normal and Reduction cells. Immutable, JSON-able data. */
export interface Genotype {
  readonly normal: Cell;
  readonly reduction: Cell;
}

/** The number of hidden states a cell of `blocks` blocks produces, inputs included. */
export function stateCount(blocks: number): number {
  return 2 + blocks;
}

/** The states block `b` may read: indices 0 .. 2 + b - 1. */
export function choicesForInput(block: number): number {
  return 2 + block;
}

/** The paper's rule: block outputs that no block of the cell reads, in index order. */
export function unusedBlockOutputs(blocks: readonly Block[]): StateIndex[] {
  const used = new Set<StateIndex>();
  for (const block of blocks) {
    used.add(block.inputA);
    used.add(block.inputB);
  }
  const unused: StateIndex[] = [];
  for (let b = 0; b < blocks.length; b++) {
    if (!used.has(2 + b)) unused.push(2 + b);
  }
  return unused;
}

/** The states a cell concatenates as its output: its explicit list, else the unused block outputs. */
export function cellOutputStates(cell: Cell): readonly StateIndex[] {
  return cell.output ?? unusedBlockOutputs(cell.blocks);
}

/** A short human name for a state: `h_i`, `h_{i-1}`, or `s<index>` for block outputs. */
export function stateLabel(state: StateIndex): string {
  if (state === 0) return 'h_i';
  if (state === 1) return 'h_{i-1}';
  return `s${state}`;
}
