/**
 * The pairwise landscape: the additive scores plus seeded interaction terms between the ops of a
 * block and of adjacent blocks, so the best op for a block depends on its neighbours' ops.
 */
import { DECISION_FIELDS, type DecisionField } from '../../shared/decisions.ts';
import { createRng, type Rng } from '../../shared/rng.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { chainExtreme, type ChainSum } from './chain-optimum.ts';
import { normalize, toAccuracy, type Landscape, type LandscapeKind } from './landscape.ts';
import { drawSlotScores, scoreOf, type SlotScores } from './slot-scores.ts';

/** Keeps this landscape's tables apart from another landscape's of the same seed. */
const SALT = 0xba1;

/** Where a field sits in a block's five decisions. */
const AT = (field: DecisionField): number => DECISION_FIELDS.indexOf(field);

/** An ops x ops table of uniform terms in [0, 1), row-major. */
function drawOpTable(ops: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: ops * ops }, () => rng.next());
}

/**
 * The blocks of both cells as one chain (Normal's blocks, then Reduction's), each block's state
 * its (opA, opB) pair. Position k scores its two ops' additive scores plus a within-block term
 * W_k[opA][opB]; the pair k, k + 1 scores CA[opA][opA'] + CB[opB][opB'] + CX[opB][opA'].
 */
function opChain(space: SearchSpace, scores: SlotScores, rng: Rng): ChainSum {
  const ops = space.ops.length;
  const length = 2 * space.blocks;
  const within = Array.from({ length }, () => drawOpTable(ops, rng));
  const edges = Array.from({ length: length - 1 }, () => ({
    a: drawOpTable(ops, rng),
    b: drawOpTable(ops, rng),
    x: drawOpTable(ops, rng),
  }));
  const opScore = (k: number, field: DecisionField, op: number): number =>
    scores[5 * k + AT(field)]?.[op] ?? 0;
  return {
    length,
    states: ops * ops,
    unary: (k, s) => {
      const [opA, opB] = [Math.floor(s / ops), s % ops];
      return opScore(k, 'opA', opA) + opScore(k, 'opB', opB) + (within[k]?.[s] ?? 0);
    },
    pair: (k, s, t) => {
      const edge = edges[k];
      if (edge === undefined) return 0;
      const [a, b, nextA, nextB] = [Math.floor(s / ops), s % ops, Math.floor(t / ops), t % ops];
      return (
        (edge.a[a * ops + nextA] ?? 0) +
        (edge.b[b * ops + nextB] ?? 0) +
        (edge.x[b * ops + nextA] ?? 0)
      );
    },
  };
}

/** The chain's total for `decisions`. */
function chainTotal(chain: ChainSum, ops: number, decisions: readonly number[]): number {
  const state = (k: number): number =>
    (decisions[5 * k + AT('opA')] ?? 0) * ops + (decisions[5 * k + AT('opB')] ?? 0);
  let total = 0;
  for (let k = 0; k < chain.length; k++) {
    total += chain.unary(k, state(k));
    if (k + 1 < chain.length) total += chain.pair(k, state(k), state(k + 1));
  }
  return total;
}

/** The instance for `seed`: see {@link PAIRWISE_LANDSCAPE}. */
export function createPairwise(space: SearchSpace, seed: number): Landscape {
  const rng = createRng(seed * 16 + SALT);
  const scores = drawSlotScores(space, rng);
  const ops = space.ops.length;
  const chain = opChain(space, scores, rng);
  const isOp = (slot: number): boolean => slot % 5 === AT('opA') || slot % 5 === AT('opB');
  // Inputs and combiners only add their own scores: each is at its extreme at its own extreme choice.
  const others = scores.map((row, slot) => (isOp(slot) ? [0] : row));
  const top = chainExtreme(chain, 1);
  const bottom = chainExtreme(chain, -1);
  const most = top.value + others.reduce((sum, row) => sum + Math.max(...row), 0);
  const least = bottom.value + others.reduce((sum, row) => sum + Math.min(...row), 0);
  const optimal = others.map((row, slot) => {
    const k = Math.floor(slot / 5);
    const s = top.states[k] ?? 0;
    if (slot % 5 === AT('opA')) return Math.floor(s / ops);
    if (slot % 5 === AT('opB')) return s % ops;
    return row.indexOf(Math.max(...row));
  });
  const value = (decisions: readonly number[]): number => {
    const rest = scoreOf(
      others,
      decisions.map((d, slot) => (isOp(slot) ? 0 : d)),
    );
    return normalize(rest + chainTotal(chain, ops, decisions), least, most);
  };
  return { space, value, report: (decisions) => toAccuracy(value(decisions)), optimum: 1, optimal };
}

/**
 * Value = the additive scores plus interactions between the two ops of each block and the ops of
 * adjacent blocks along Normal's blocks then Reduction's ({@link opChain}), mapped linearly so the
 * least possible total is 0 and the largest 1. Optimum, exactly: 1; the ops' part is a chain, whose
 * largest and least totals dynamic programming finds over the op pairs of each block (196 in the
 * default space; chain-optimum.ts), and the inputs and combiners are independent terms, each at its
 * own extreme.
 */
export const PAIRWISE_LANDSCAPE: LandscapeKind = Object.freeze<LandscapeKind>({
  description: 'additive scores plus interactions of the ops within a block and between neighbours',
  create: createPairwise,
});
