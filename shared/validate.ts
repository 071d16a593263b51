/**
 * The one parser for genotypes and search spaces at every boundary (gRPC, CLI flag, JSON file):
 * it returns a fresh, deep-frozen typed value or throws an error that lists every violation with
 * its path, the offending value and what is allowed.
 */
import { InvalidGenotypeError, UnsupportedError, type Violation } from './errors.ts';
import { CELL_NAMES, stateCount, type Block, type Cell, type Genotype } from './genotype.ts';
import { OP_NAMES, isOpName, type OpName } from './ops.ts';
import {
  COMBINES,
  DEFAULT_SPACE,
  SEARCH_SPACES,
  type Combine,
  type SearchSpace,
} from './search-space.ts';
import {
  describe,
  didYouMean,
  distinctNames,
  fields,
  integer,
  joinPath,
  parseWith,
  text,
} from './schema.ts';

/** The largest number of blocks per cell a search space may ask for. */
export const MAX_BLOCKS = 8;

/**
 * A list more than this many times as long as any valid one is reported by its length alone: walking
 * every entry would list thousands of violations and cost seconds, telling the caller nothing more.
 */
const WALK_LIMIT = 2;

type Fields = Readonly<Record<string, unknown>>;
type Parse<T> = (value: unknown, path: string) => T | undefined;

const CELL = 'a cell {blocks, output?}';
const BLOCK_FIELDS = ['inputA', 'opA', 'inputB', 'opB', 'combine'];
const HIDDEN = '0 = h_i, 1 = h_{i-1}';

/** Parses a genotype of `space`; throws {@link InvalidGenotypeError} listing every violation. */
export function parseGenotype(input: unknown, space: SearchSpace = DEFAULT_SPACE): Genotype {
  const c = new Checker(space);
  const obj = c.object(input, '', CELL_NAMES, 'a genotype {normal, reduction}');
  const cell = (name: string): Cell | undefined =>
    obj && c.field(obj, name, '', CELL, (v, p) => parseCell(c, v, p));
  const normal = cell('normal');
  const reduction = cell('reduction');
  if (!normal || !reduction || c.out.length > 0) throw new InvalidGenotypeError(c.out);
  return Object.freeze({ normal, reduction });
}

/** The schema of a search space as a config file or the run store writes it. */
export const SEARCH_SPACE_SCHEMA = fields(
  {
    name: text("the search space's name"),
    ops: distinctNames(OP_NAMES, 'op'),
    blocks: integer(1, MAX_BLOCKS, 'blocks per cell'),
    combines: distinctNames(COMBINES, 'combine'),
  },
  'a search space {name, ops, blocks, combines}',
);

/** Parses a search space (as found in a config file); throws listing every violation. */
export function parseSearchSpace(input: unknown): SearchSpace {
  return parseWith(SEARCH_SPACE_SCHEMA, input, 'search space');
}

/** The named search space (`default`, `nasnet`); throws {@link UnsupportedError} listing the names. */
export function searchSpaceByName(name: string): SearchSpace {
  const space = Object.hasOwn(SEARCH_SPACES, name) ? SEARCH_SPACES[name] : undefined;
  if (space) return space;
  const known = Object.keys(SEARCH_SPACES).join(', ');
  throw new UnsupportedError(`unknown search space ${JSON.stringify(name)}; known: ${known}`);
}

function parseCell(c: Checker, value: unknown, path: string): Cell | undefined {
  const obj = c.object(value, path, ['blocks', 'output'], CELL);
  if (!obj) return undefined;
  const what = `a list of ${c.space.blocks} blocks`;
  const blocks = c.field(obj, 'blocks', path, what, (v, p) => parseBlocks(c, v, p));
  // An absent output list means the paper's rule (the unused block outputs).
  if (obj.output === undefined) return blocks && Object.freeze({ blocks });
  const output = parseOutput(c, obj.output, joinPath(path, 'output'));
  return blocks && output && Object.freeze({ blocks, output });
}

function parseBlocks(c: Checker, value: unknown, path: string): readonly Block[] | undefined {
  const { blocks: expected, name } = c.space;
  if (!isList(value)) return c.fail(path, `expected ${expected} blocks, got ${describe(value)}`);
  if (value.length !== expected) {
    c.fail(path, `expected ${expected} blocks (B of search space "${name}"), got ${value.length}`);
  }
  if (value.length > WALK_LIMIT * MAX_BLOCKS) return undefined;
  const blocks = value.map((v, b) => parseBlock(c, v, b, `${path}[${b}]`));
  const valid = blocks.filter((b) => b !== undefined);
  return valid.length === expected && valid.length === value.length
    ? Object.freeze(valid)
    : undefined;
}

function parseBlock(c: Checker, value: unknown, b: number, path: string): Block | undefined {
  const obj = c.object(value, path, BLOCK_FIELDS, 'a block {inputA, opA, inputB, opB, combine}');
  if (!obj) return undefined;
  const input = (key: string): number | undefined =>
    c.field(obj, key, path, 'a state index', (v, p) => parseInput(c, v, b, p));
  const op = (key: string): OpName | undefined =>
    c.field(obj, key, path, 'an op name', (v, p) => parseOp(c, v, p));
  const inputA = input('inputA');
  const opA = op('opA');
  const inputB = input('inputB');
  const opB = op('opB');
  const combine = c.field(obj, 'combine', path, 'a combine', (v, p) => parseCombine(c, v, p));
  if (inputA === undefined || inputB === undefined || !opA || !opB || !combine) return undefined;
  return Object.freeze({ inputA, opA, inputB, opB, combine });
}

function parseInput(c: Checker, value: unknown, b: number, path: string): number | undefined {
  if (isInteger(value) && value >= 0 && value < 2 + b) return value === 0 ? 0 : value; // no -0
  const legend = b === 0 ? HIDDEN : `${HIDDEN}, 2.. = earlier blocks`;
  const may = `block ${b} may read states 0..${1 + b} (${legend})`;
  if (!isInteger(value)) {
    return c.fail(path, `expected an integer state index, got ${describe(value)}; ${may}`);
  }
  const states = stateCount(c.space.blocks);
  const why =
    value < 0
      ? 'is negative'
      : value === 2 + b
        ? `refers to block ${b} itself`
        : value < states
          ? `refers to a later state (the output of block ${value - 2})`
          : `refers to a non-existent state (a cell has states 0..${states - 1})`;
  return c.fail(path, `input ${value} ${why}; ${may}`);
}

function parseOp(c: Checker, value: unknown, path: string): OpName | undefined {
  const { ops, name } = c.space;
  const op = ops.find((o) => o === value);
  if (op) return op;
  const allowed = `allowed: ${ops.join(', ')}`;
  if (isOpName(value))
    return c.fail(path, `op "${value}" is not in search space "${name}"; ${allowed}`);
  return c.fail(path, `${unknown('op', value, ops)}; ${allowed}`);
}

function parseCombine(c: Checker, value: unknown, path: string): Combine | undefined {
  const { combines, name } = c.space;
  const combine = combines.find((x) => x === value);
  if (combine) return combine;
  const allowed = `allowed: ${combines.join(', ')}`;
  const known = COMBINES.find((x) => x === value);
  if (known) return c.fail(path, `combine "${known}" is not in search space "${name}"; ${allowed}`);
  return c.fail(path, `${unknown('combine', value, combines)}; ${allowed}`);
}

function parseOutput(c: Checker, value: unknown, path: string): readonly number[] | undefined {
  const states = stateCount(c.space.blocks);
  const has = `a cell of ${c.space.blocks} blocks has states 0..${states - 1}`;
  if (!isList(value)) {
    const rule = 'or no output field for the paper rule (the unused block outputs)';
    return c.fail(path, `expected a list of state indices, ${rule}, got ${describe(value)}`);
  }
  if (value.length === 0) return c.fail(path, 'empty output list; list a state or omit the field');
  if (value.length > WALK_LIMIT * states) {
    return c.fail(path, `expected at most ${states} distinct states, got ${describe(value)}`);
  }
  const first = new Map<number, number>();
  const before = c.out.length;
  value.forEach((s, i) => {
    const p = `${path}[${i}]`;
    if (!isInteger(s)) c.fail(p, `expected an integer state index, got ${describe(s)}; ${has}`);
    else if (s < 0 || s >= states) c.fail(p, `output state ${s} does not exist; ${has}`);
    else if (first.has(s))
      c.fail(p, `output state ${s} is listed twice (first at index ${first.get(s)})`);
    else first.set(s, i);
  });
  // Map keys keep insertion order and store -0 as 0.
  return c.out.length === before ? Object.freeze([...first.keys()]) : undefined;
}

/** Collects the violations found while a value is walked. */
class Checker {
  readonly out: Violation[] = [];

  constructor(readonly space: SearchSpace = DEFAULT_SPACE) {}

  fail(path: string, message: string): undefined {
    this.out.push({ path, message });
    return undefined;
  }

  /** Narrows to a plain object and reports its unexpected fields (with a did-you-mean hint). */
  object(value: unknown, path: string, allowed: readonly string[], what: string) {
    if (!isFields(value)) return this.fail(path, `expected ${what}, got ${describe(value)}`);
    for (const key of Object.keys(value).filter((k) => !allowed.includes(k))) {
      const hint = didYouMean(key, allowed);
      this.fail(
        joinPath(path, key),
        `unexpected field ${JSON.stringify(key)}${hint}; allowed: ${allowed.join(', ')}`,
      );
    }
    return value;
  }

  /** Parses a required field, reporting it as missing when it is absent or undefined. */
  field<T>(obj: Fields, key: string, path: string, what: string, parse: Parse<T>): T | undefined {
    const p = joinPath(path, key);
    const absent = !Object.hasOwn(obj, key) || obj[key] === undefined;
    return absent ? this.fail(p, `missing field "${key}" (${what})`) : parse(obj[key], p);
  }
}

function unknown(what: string, value: unknown, allowed: readonly string[]): string {
  if (typeof value !== 'string') return `expected a string (${what} name), got ${describe(value)}`;
  return `unknown ${what} ${JSON.stringify(value)}${didYouMean(value, allowed)}`;
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
