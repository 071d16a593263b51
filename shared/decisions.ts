/**
 * The decision-sequence encoding the RL controller emits: per cell (Normal first), per block, five
 * categorical decisions in the paper's order — input A, input B, op A, op B, combine — so 2 x 5B in all.
 */
import {
  CELL_NAMES,
  choicesForInput,
  unusedBlockOutputs,
  type Block,
  type Cell,
  type CellName,
  type Genotype,
} from './genotype.ts';
import { InvalidValueError, UnsupportedError, type Violation } from './errors.ts';
import type { SearchSpace } from './search-space.ts';

/** The field of a block that one decision sets. */
export type DecisionField = 'inputA' | 'inputB' | 'opA' | 'opB' | 'combine';

/** The order of a block's decisions, as the paper's controller emits them. */
export const DECISION_FIELDS: readonly DecisionField[] = Object.freeze([
  'inputA',
  'inputB',
  'opA',
  'opB',
  'combine',
] as const);

/** One step of the sequence: which cell, block and field it sets, and how many choices are valid. */
export interface DecisionSlot {
  readonly cell: CellName;
  readonly block: number;
  readonly field: DecisionField;
  readonly choices: number;
}

/** The 2 x 5B decision slots of a space, in emission order. */
export function decisionSlots(space: SearchSpace): readonly DecisionSlot[] {
  const slots: DecisionSlot[] = [];
  for (const cell of CELL_NAMES) {
    for (let block = 0; block < space.blocks; block++) {
      for (const field of DECISION_FIELDS) {
        slots.push({ cell, block, field, choices: choiceCount(space, block, field) });
      }
    }
  }
  return slots;
}

function choiceCount(space: SearchSpace, block: number, field: DecisionField): number {
  if (field === 'inputA' || field === 'inputB') return choicesForInput(block);
  if (field === 'opA' || field === 'opB') return space.ops.length;
  return space.combines.length;
}

/**
 * The decision sequence of a genotype of `space`. A cell's explicit output list cannot be encoded,
 * so one that differs from the paper's rule is refused.
 */
export function encodeDecisions(genotype: Genotype, space: SearchSpace): number[] {
  const decisions: number[] = [];
  for (const name of CELL_NAMES) {
    const cell = genotype[name];
    assertRuleOutput(cell, name);
    for (const block of cell.blocks) {
      decisions.push(block.inputA, block.inputB);
      decisions.push(
        indexIn(space.ops, block.opA, `${name} op`),
        indexIn(space.ops, block.opB, `${name} op`),
      );
      decisions.push(indexIn(space.combines, block.combine, `${name} combine`));
    }
  }
  return decisions;
}

function assertRuleOutput(cell: Cell, name: CellName): void {
  if (cell.output === undefined) return;
  const rule = unusedBlockOutputs(cell.blocks);
  const same =
    cell.output.length === rule.length &&
    [...cell.output].sort((a, b) => a - b).every((s, i) => s === rule[i]);
  if (!same) {
    throw new UnsupportedError(
      `${name}.output [${cell.output.join(', ')}] cannot be encoded as decisions: ` +
        `the decision encoding uses the paper's unused-states rule ([${rule.join(', ')}])`,
    );
  }
}

function indexIn<T>(values: readonly T[], value: T, what: string): number {
  const index = values.indexOf(value);
  if (index < 0)
    throw new UnsupportedError(`${what} "${String(value)}" is not in this search space`);
  return index;
}

/** The genotype a decision sequence encodes; throws InvalidValueError naming every bad position. */
export function decodeDecisions(decisions: readonly number[], space: SearchSpace): Genotype {
  const slots = decisionSlots(space);
  const violations: Violation[] = [];
  if (decisions.length !== slots.length) {
    violations.push({
      path: 'decisions',
      message: `expected ${slots.length} decisions (2 x 5B), got ${decisions.length}`,
    });
  }
  slots.forEach((slot, i) => {
    const d = decisions[i];
    if (d !== undefined && !(Number.isInteger(d) && d >= 0 && d < slot.choices)) {
      violations.push({
        path: `decisions[${i}]`,
        message: `${slot.cell}.blocks[${slot.block}].${slot.field} choice ${d} is out of range; allowed 0..${slot.choices - 1}`,
      });
    }
  });
  if (violations.length > 0) throw new InvalidValueError('decision sequence', violations);
  const perCell = 5 * space.blocks;
  return {
    normal: decodeCell(decisions.slice(0, perCell), space),
    reduction: decodeCell(decisions.slice(perCell, 2 * perCell), space),
  };
}

function decodeCell(decisions: readonly number[], space: SearchSpace): Cell {
  const blocks: Block[] = [];
  for (let b = 0; b < space.blocks; b++) {
    const at = (field: number): number => checked(decisions[5 * b + field]);
    blocks.push({
      inputA: at(0),
      opA: checked(space.ops[at(2)]),
      inputB: at(1),
      opB: checked(space.ops[at(3)]),
      combine: checked(space.combines[at(4)]),
    });
  }
  return { blocks };
}

/** A value decodeDecisions has already range-checked; reaching undefined here is a bug. */
function checked<T>(value: T | undefined): T {
  if (value === undefined) throw new RangeError('decision out of range after validation');
  return value;
}
