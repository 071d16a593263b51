/**
 * Mutation as in Regularized Evolution (Real et al., AAAI 2019, section 2): one random change per
 * child — rewire one op's input (hidden-state mutation) or replace one op (op mutation) — or, with
 * a small fixed probability, no change at all (identity).
 */
import {
  CELL_NAMES,
  choicesForInput,
  type Block,
  type CellName,
  type Genotype,
} from './genotype.ts';
import type { OpName } from './ops.ts';
import type { Rng } from './rng.ts';
import type { Combine, SearchSpace } from './search-space.ts';

/** Which operand of a block a mutation touches. */
export type Operand = 'A' | 'B';

/** What one mutation did, for logs and tests. */
export type Mutation =
  | { readonly kind: 'identity' }
  | {
      readonly kind: 'hidden_state';
      readonly cell: CellName;
      readonly block: number;
      readonly operand: Operand;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly kind: 'op';
      readonly cell: CellName;
      readonly block: number;
      readonly operand: Operand;
      readonly from: OpName;
      readonly to: OpName;
    }
  | {
      readonly kind: 'combine';
      readonly cell: CellName;
      readonly block: number;
      readonly from: Combine;
      readonly to: Combine;
    };

/** Options of {@link mutate}. */
export interface MutationOptions {
  /** Probability of the identity mutation; 0.05 as in Real et al., AAAI 2019 (regularized evolution). */
  readonly identityProbability?: number;
}

/** The identity-mutation probability used unless told otherwise. */
export const DEFAULT_IDENTITY_PROBABILITY = 0.05;

/**
 * One mutation of `parent` within `space`. The mutated decision always takes a different value.
 * Kinds are chosen uniformly among those the space allows: hidden-state, op (when the space has two
 * or more ops) and — our extension for spaces with both combiners — combine. With a single combiner
 * this is the paper's even split between hidden-state and op mutations.
 */
export function mutate(
  parent: Genotype,
  rng: Rng,
  space: SearchSpace,
  options: MutationOptions = {},
): { readonly genotype: Genotype; readonly mutation: Mutation } {
  const pIdentity = options.identityProbability ?? DEFAULT_IDENTITY_PROBABILITY;
  if (rng.next() < pIdentity) return { genotype: parent, mutation: { kind: 'identity' } };
  const kinds: Mutation['kind'][] = ['hidden_state'];
  if (space.ops.length > 1) kinds.push('op');
  if (space.combines.length > 1) kinds.push('combine');
  const kind = kinds[rng.int(kinds.length)] ?? 'hidden_state';
  const cell = CELL_NAMES[rng.int(CELL_NAMES.length)] ?? 'normal';
  const blocks = parent[cell].blocks;
  const b = rng.int(blocks.length);
  const block = blocks[b];
  if (block === undefined) throw new RangeError(`cell ${cell} has no blocks to mutate`);
  const operand: Operand = rng.int(2) === 0 ? 'A' : 'B';
  const { changed, mutation } = mutateBlock(block, { kind, cell, block: b, operand }, rng, space);
  const newBlocks = blocks.map((old, i) => (i === b ? changed : old));
  return { genotype: { ...parent, [cell]: { ...parent[cell], blocks: newBlocks } }, mutation };
}

interface Site {
  readonly kind: Mutation['kind'];
  readonly cell: CellName;
  readonly block: number;
  readonly operand: Operand;
}

function mutateBlock(
  block: Block,
  site: Site,
  rng: Rng,
  space: SearchSpace,
): { changed: Block; mutation: Mutation } {
  const { cell, operand } = site;
  const inputKey = operand === 'A' ? 'inputA' : 'inputB';
  const opKey = operand === 'A' ? 'opA' : 'opB';
  switch (site.kind) {
    case 'hidden_state': {
      const from = block[inputKey];
      const to = pickOther(
        rng,
        Array.from({ length: choicesForInput(site.block) }, (_, i) => i),
        from,
      );
      return {
        changed: { ...block, [inputKey]: to },
        mutation: { kind: 'hidden_state', cell, block: site.block, operand, from, to },
      };
    }
    case 'op': {
      const from = block[opKey];
      const to = pickOther(rng, space.ops, from);
      return {
        changed: { ...block, [opKey]: to },
        mutation: { kind: 'op', cell, block: site.block, operand, from, to },
      };
    }
    case 'combine': {
      const from = block.combine;
      const to = pickOther(rng, space.combines, from);
      return {
        changed: { ...block, combine: to },
        mutation: { kind: 'combine', cell, block: site.block, from, to },
      };
    }
    case 'identity':
      return { changed: block, mutation: { kind: 'identity' } };
  }
}

/** A uniformly chosen element of `values` other than `current` (or any element, if `current` is absent). */
function pickOther<T>(rng: Rng, values: readonly T[], current: T): T {
  const others = values.filter((v) => v !== current);
  const pool = others.length > 0 ? others : values;
  const choice = pool[rng.int(pool.length)];
  if (choice === undefined) throw new RangeError('cannot mutate: no values to choose from');
  return choice;
}
