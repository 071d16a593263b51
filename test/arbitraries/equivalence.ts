/**
 * Test helpers for genotype equivalence: random symmetries (operand swaps, topological
 * renumberings, the rule's output list written out), single changes of one op, input or combine,
 * and a brute-force equivalence oracle that tries every topological order.
 */
import fc from 'fast-check';
import {
  CELL_NAMES,
  unusedBlockOutputs,
  type Block,
  type Cell,
  type Genotype,
} from '../../shared/genotype.ts';
import { DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { editAt } from './corruptions.ts';
import { genotypeWithOutputsArb } from './genotype.ts';

/** Random choices for the symmetries of one cell. */
export interface CellSymmetry {
  /** At each position, which ready block to place next (taken modulo the number ready). */
  readonly picks: readonly number[];
  /** At each new position, whether to swap the block's two operands. */
  readonly swaps: readonly boolean[];
  /** Whether to write out the rule's output list (reversed) when the cell has none. */
  readonly explicitRule: boolean;
}

/** Random symmetries for both cells of a genotype with up to 8 blocks per cell. */
export const symmetryArb: fc.Arbitrary<Readonly<Record<'normal' | 'reduction', CellSymmetry>>> =
  (() => {
    const cell = fc.record({
      picks: fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
      swaps: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      explicitRule: fc.boolean(),
    });
    return fc.record({ normal: cell, reduction: cell });
  })();

/** The genotype with the given symmetries applied; it builds the same network as `g`. */
export function applySymmetry(
  g: Genotype,
  s: Readonly<Record<'normal' | 'reduction', CellSymmetry>>,
): Genotype {
  return {
    normal: symmetricCell(g.normal, s.normal),
    reduction: symmetricCell(g.reduction, s.reduction),
  };
}

function symmetricCell(cell: Cell, s: CellSymmetry): Cell {
  const withOutput: Cell =
    s.explicitRule && cell.output === undefined
      ? { blocks: cell.blocks, output: unusedBlockOutputs(cell.blocks).reverse() }
      : cell;
  return applyOrder(withOutput, randomOrder(cell.blocks, s.picks), s.swaps);
}

/** A topological order of the blocks (old indices by new position) chosen by `picks`. */
export function randomOrder(blocks: readonly Block[], picks: readonly number[]): number[] {
  const order: number[] = [];
  for (let pos = 0; pos < blocks.length; pos++) {
    const ready = readyBlocks(blocks, order);
    const j = ready[(picks[pos] ?? 0) % ready.length];
    if (j === undefined) throw new Error('no ready block: the cell is not a valid DAG');
    order.push(j);
  }
  return order;
}

/** Every topological order of the blocks. */
export function topologicalOrders(blocks: readonly Block[], prefix: number[] = []): number[][] {
  if (prefix.length === blocks.length) return [prefix];
  return readyBlocks(blocks, prefix).flatMap((j) => topologicalOrders(blocks, [...prefix, j]));
}

function readyBlocks(blocks: readonly Block[], placed: readonly number[]): number[] {
  const isPlaced = (s: number): boolean => s < 2 || placed.includes(s - 2);
  return blocks.flatMap((b, j) =>
    !placed.includes(j) && isPlaced(b.inputA) && isPlaced(b.inputB) ? [j] : [],
  );
}

/** The cell with its blocks in `order` (inputs and outputs remapped), operands swapped by `swaps`. */
export function applyOrder(
  cell: Cell,
  order: readonly number[],
  swaps: readonly boolean[] = [],
): Cell {
  const label = (s: number): number => (s < 2 ? s : 2 + order.indexOf(s - 2));
  const blocks = order.map((j, pos): Block => {
    const b = cell.blocks[j];
    if (b === undefined) throw new Error(`no block ${j}`);
    const moved = { ...b, inputA: label(b.inputA), inputB: label(b.inputB) };
    return swaps[pos] === true
      ? { ...moved, inputA: moved.inputB, opA: b.opB, inputB: moved.inputA, opB: b.opA }
      : moved;
  });
  return cell.output === undefined ? { blocks } : { blocks, output: cell.output.map(label) };
}

/** True when some topological renumbering of `b` (with operands sorted) is `a`; slow, for tests. */
export function equivalentByBruteForce(a: Genotype, b: Genotype): boolean {
  return CELL_NAMES.every((name) => {
    const target = normalForm(a[name]);
    return topologicalOrders(b[name].blocks).some(
      (order) => normalForm(applyOrder(b[name], order)) === target,
    );
  });
}

/** The cell's blocks with operands sorted, and its effective output as a sorted set. */
function normalForm(cell: Cell): string {
  const blocks = cell.blocks.map((b) => {
    const operands = [`${b.inputA}:${b.opA}`, `${b.inputB}:${b.opB}`].sort();
    return `${operands.join(',')}/${b.combine}`;
  });
  const output = [...(cell.output ?? unusedBlockOutputs(cell.blocks))].sort((x, y) => x - y);
  return `${blocks.join(' ')} -> ${output.join(',')}`;
}

/**
 * Genotypes of `space` rich in twins: each block is often a copy of an earlier one (with its
 * operands maybe swapped), so the symmetries between twins come up often.
 */
export function twinGenotypeArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Genotype> {
  const copies = fc.array(fc.option(fc.nat(), { freq: 2 }), {
    minLength: space.blocks,
    maxLength: space.blocks,
  });
  const cell = fc
    .tuple(
      genotypeWithOutputsArb(space),
      copies,
      fc.array(fc.boolean(), { minLength: space.blocks, maxLength: space.blocks }),
    )
    .map(([g, copy, swaps]): Cell => {
      const blocks: Block[] = [];
      g.normal.blocks.forEach((block, b) => {
        const c = copy[b];
        const source = c === null || c === undefined || b === 0 ? block : (blocks[c % b] ?? block);
        blocks.push(swaps[b] === true ? swapped(source) : source);
      });
      return g.normal.output === undefined ? { blocks } : { blocks, output: g.normal.output };
    });
  return fc.record({ normal: cell, reduction: cell });
}

function swapped(b: Block): Block {
  return { inputA: b.inputB, opA: b.opB, inputB: b.inputA, opB: b.opA, combine: b.combine };
}

/** A valid genotype and a copy with exactly one op, input or combine changed to another valid value. */
export function singleChangeArb(
  space: SearchSpace = DEFAULT_SPACE,
  genotypes: fc.Arbitrary<Genotype> = genotypeWithOutputsArb(space),
): fc.Arbitrary<{ genotype: Genotype; changed: Genotype; where: string }> {
  const fields = ['inputA', 'inputB'];
  if (space.ops.length > 1) fields.push('opA', 'opB');
  if (space.combines.length > 1) fields.push('combine');
  return fc
    .tuple(
      genotypes,
      fc.constantFrom(...CELL_NAMES),
      fc.integer({ min: 0, max: space.blocks - 1 }),
      fc.constantFrom(...fields),
    )
    .chain(([genotype, cell, b, key]) => {
      const block = genotype[cell].blocks[b];
      const old: unknown = block && Object.entries(block).find(([k]) => k === key)?.[1];
      const others = alternatives(space, b, key).filter((v) => v !== old);
      return fc.constantFrom(...others).map((value) => ({
        genotype,
        changed: parseGenotype(
          editAt(genotype, [cell, 'blocks', b, key], () => value),
          space,
        ),
        where: `${cell}.blocks[${b}].${key} = ${JSON.stringify(value)}`,
      }));
    });
}

function alternatives(space: SearchSpace, b: number, key: string): readonly (string | number)[] {
  if (key.startsWith('input')) return Array.from({ length: 2 + b }, (_, s) => s);
  return key === 'combine' ? space.combines : space.ops;
}

/**
 * A genotype rich in twins and a copy with one input rewired from a block to a twin of it: often,
 * but not always, an equivalent genotype (it is when the twins can swap places).
 */
export function twinRewireArb(
  space: SearchSpace = DEFAULT_SPACE,
): fc.Arbitrary<{ genotype: Genotype; changed: Genotype; where: string }> {
  return fc
    .tuple(twinGenotypeArb(space), fc.constantFrom(...CELL_NAMES), fc.nat())
    .map(([genotype, cell, n]) => {
      const rewires = twinRewires(genotype[cell].blocks);
      const rewire = rewires[n % Math.max(1, rewires.length)];
      if (rewire === undefined) return undefined;
      const [b, key, state] = rewire;
      const changed = editAt(genotype, [cell, 'blocks', b, key], () => state);
      const where = `${cell}.blocks[${b}].${key} = ${state}`;
      return { genotype, changed: parseGenotype(changed, space), where };
    })
    .filter((x) => x !== undefined);
}

/** Every (block, input field, twin state) such that the input reads a block with that twin. */
function twinRewires(blocks: readonly Block[]): [number, 'inputA' | 'inputB', number][] {
  const form = (s: number): string | undefined => {
    const b = blocks[s - 2];
    return b && normalForm({ blocks: [b], output: [] });
  };
  return blocks.flatMap((block, b) =>
    (['inputA', 'inputB'] as const).flatMap((key) => {
      const s = block[key];
      const twins = Array.from({ length: b }, (_, t) => 2 + t);
      return twins
        .filter((t) => s >= 2 && t !== s && form(t) === form(s))
        .map((t): [number, 'inputA' | 'inputB', number] => [b, key, t]);
    }),
  );
}
