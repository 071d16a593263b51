/**
 * Canonical forms and content hashes of genotypes. Two genotypes get the same canonical form (and
 * hash) exactly when one turns into the other by these symmetries, which all build the same network
 * up to a permutation of channels:
 *   (a) swapping the two operands of a block ((inputA, opA) <-> (inputB, opB)), for add and concat;
 *   (b) renumbering the blocks of a cell in another topological order (inputs and outputs remapped);
 *   (c) writing the output list explicitly when it equals the paper's rule, or in another order.
 * The canonical form is the smallest serialization over all topological orders. It is built
 * greedily: the key of a block depends only on the labels of blocks already placed, so each position
 * takes the smallest ready key, branching only on ties (twin blocks) and keeping the best branch.
 */
import { createHash } from 'node:crypto';
import type { Block, Cell, Genotype } from './genotype.ts';
import { OP_NAMES, type OpName } from './ops.ts';
import type { Combine } from './search-space.ts';

/** The canonical form of a parsed genotype: sorted operands, canonical block order, outputs as a set. */
export function canonicalGenotype(g: Genotype): Genotype {
  return Object.freeze({ normal: canonicalCell(g.normal), reduction: canonicalCell(g.reduction) });
}

/** The canonical JSON of a genotype, with a fixed key order; equal exactly for equivalent genotypes. */
export function canonicalJson(g: Genotype): string {
  return JSON.stringify(canonicalGenotype(g));
}

/** A content hash of a genotype: the first 16 hex digits of the SHA-256 of its canonical JSON. */
export function genotypeHash(g: Genotype): string {
  return createHash('sha256').update(canonicalJson(g)).digest('hex').slice(0, 16);
}

/** The canonical form of one cell; see the module comment. */
export function canonicalCell(cell: Cell): Cell {
  const search = new CellSearch(cell);
  const best = search.best(search.start(), [], []);
  const blocks = Object.freeze(best.order.map((j) => search.relabelled(j, best.label)));
  return search.output === undefined
    ? Object.freeze({ blocks })
    : Object.freeze({ blocks, output: Object.freeze(best.output) });
}

// Ranks by name, not by table position, so adding an op to the table keeps existing hashes.
const OP_RANK: Readonly<Partial<Record<OpName, number>>> = Object.fromEntries(
  [...OP_NAMES].sort().map((op, rank) => [op, rank]),
);
const COMBINE_RANK: Readonly<Record<Combine, number>> = { add: 0, concat: 1 };

/** One complete topological order: old block indices by position, their keys, and the labels. */
interface Order {
  readonly order: readonly number[];
  readonly keys: readonly number[];
  /** New label of each old state (0 and 1 map to themselves). */
  readonly label: readonly number[];
  /** The relabelled explicit output states, sorted (empty when the cell has none). */
  readonly output: readonly number[];
}

/** The search for the smallest serialization of one cell. */
class CellSearch {
  readonly blocks: readonly Block[];
  /** The explicit output states, or undefined when there are none or they equal the rule. */
  readonly output: readonly number[] | undefined;
  /** Operand codes are label * ops + op rank; this is one more than the largest. */
  private readonly operandRadix: number;
  /** For each block read by no block: whether the explicit output lists it; else undefined. */
  private readonly unread: readonly (boolean | undefined)[];
  /** The ranks of opA and opB of block j at 2j and 2j + 1 (precomputed: this is the hot path). */
  private readonly ranks: readonly number[];

  constructor(cell: Cell) {
    const { blocks, output } = cell;
    const n = blocks.length;
    const read = new Array<boolean>(n).fill(false);
    const ranks = new Array<number>(2 * n);
    for (let j = 0; j < n; j++) {
      const b = blocks[j];
      if (b === undefined) continue;
      if (b.inputA >= 2) read[b.inputA - 2] = true;
      if (b.inputB >= 2) read[b.inputB - 2] = true;
      ranks[2 * j] = OP_RANK[b.opA] ?? 0;
      ranks[2 * j + 1] = OP_RANK[b.opB] ?? 0;
    }
    // The paper's rule (as in unusedBlockOutputs): the outputs of the blocks that no block reads.
    const rule = output && blocks.flatMap((_, j) => (read[j] === true ? [] : [2 + j]));
    this.blocks = blocks;
    this.output = output && rule && !sameSet(output, rule) ? output : undefined;
    this.operandRadix = (2 + n) * OP_NAMES.length;
    this.unread = read.map((r, j) => (r ? undefined : (this.output?.includes(2 + j) ?? false)));
    this.ranks = ranks;
  }

  /** Labels for the empty order: the cell inputs keep 0 and 1; blocks are unplaced (-1). */
  start(): number[] {
    return [0, 1, ...this.blocks.map(() => -1)];
  }

  /** The best completion of a partial order, given its labels (mutated) and its keys so far. */
  best(label: number[], order: number[], keys: number[]): Order {
    for (;;) {
      const { key, ready } = this.smallestReady(label);
      if (ready.length === 0) break;
      if (ready.length > 1) {
        const branches = this.distinct(ready).map((j) =>
          this.best(place([...label], j, order.length), [...order, j], [...keys, key]),
        );
        return branches.reduce((a, b) => (compareOrders(b, a) < 0 ? b : a));
      }
      const [j = -1] = ready;
      place(label, j, order.length);
      order.push(j);
      keys.push(key);
    }
    if (order.length !== this.blocks.length) {
      throw new RangeError('canonical form needs a parsed genotype (inputs read earlier states)');
    }
    const output = (this.output ?? []).map((s) => label[s] ?? -1).sort((a, b) => a - b);
    return { order, keys, label, output };
  }

  /**
   * The tied blocks, less those interchangeable with an earlier one: tied blocks are twins, and
   * swapping two twins that no block reads and the output lists alike is an automorphism.
   */
  private distinct(tied: readonly number[]): number[] {
    const seen = new Set<boolean>();
    return tied.filter((j) => {
      const listed = this.unread[j];
      if (listed === undefined) return true;
      if (seen.has(listed)) return false;
      seen.add(listed);
      return true;
    });
  }

  /** The unplaced blocks whose inputs are all placed and whose key is smallest, and that key. */
  private smallestReady(label: readonly number[]): { key: number; ready: number[] } {
    let key = Infinity;
    let ready: number[] = [];
    for (let j = 0; j < this.blocks.length; j++) {
      const block = this.blocks[j];
      if (block === undefined || (label[2 + j] ?? -1) >= 0) continue;
      const k = this.key(block, j, label);
      if (k === Infinity) continue;
      if (k < key) [key, ready] = [k, [j]];
      else if (k === key) ready.push(j);
    }
    return { key, ready };
  }

  /** The block's key under `label`: sorted operand codes and combine; Infinity if not ready. */
  private key(block: Block, j: number, label: readonly number[]): number {
    const a = this.operand(block.inputA, 2 * j, label);
    const b = this.operand(block.inputB, 2 * j + 1, label);
    if (a < 0 || b < 0) return Infinity;
    const pair = Math.min(a, b) * this.operandRadix + Math.max(a, b);
    return pair * 2 + COMBINE_RANK[block.combine];
  }

  /** Block `j` with its inputs relabelled and its operands in canonical order. */
  relabelled(j: number, label: readonly number[]): Block {
    const block = this.blocks[j];
    if (block === undefined) throw new RangeError(`no block ${j}`);
    const inputA = label[block.inputA] ?? -1;
    const inputB = label[block.inputB] ?? -1;
    const swap =
      this.operand(block.inputA, 2 * j, label) > this.operand(block.inputB, 2 * j + 1, label);
    return Object.freeze(
      swap
        ? { inputA: inputB, opA: block.opB, inputB: inputA, opB: block.opA, combine: block.combine }
        : { inputA, opA: block.opA, inputB, opB: block.opB, combine: block.combine },
    );
  }

  /** The code of an operand (its input and the op of rank ranks[r]), or -1 if its input is unplaced. */
  private operand(input: number, r: number, label: readonly number[]): number {
    const l = label[input] ?? -1;
    return l < 0 ? -1 : l * OP_NAMES.length + (this.ranks[r] ?? 0);
  }
}

function place(label: number[], j: number, position: number): number[] {
  label[2 + j] = 2 + position;
  return label;
}

function compareOrders(a: Order, b: Order): number {
  return compareLists(a.keys, b.keys) || compareLists(a.output, b.output);
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((s) => set.has(s));
}
