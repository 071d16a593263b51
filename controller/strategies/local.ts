/**
 * Local search, White et al. 2020 ("Local search is state of the art for NAS benchmarks"): start
 * from the best of `init` uniform random samples; try the neighbours of the incumbent (every
 * genotype one decision away, in a seeded random order, at most `neighbours` of them) and move to
 * the first that beats it; when its neighbourhood is used up without a better one, restart from a
 * random sample.
 *
 * Results arrive out of order, so the rule is per result: a reward above the incumbent's (any reward
 * while there is none) makes that candidate the incumbent, with a fresh neighbour order. `ask`
 * always has a candidate: the next untried neighbour; a random sample while the first `init` are
 * asked, while no result has come back, or while the last neighbours are still in flight.
 */
import { decisionSlots, decodeDecisions, encodeDecisions } from '../../shared/decisions.ts';
import { createRng, rngFromState, type Rng } from '../../shared/rng.ts';
import { sampleGenotype } from '../../shared/sample.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { SnapshotMismatchError, checkReward } from './errors.ts';
import { PendingCandidates } from './pending.ts';
import { saveRng } from './rng-state.ts';
import type { LocalConfig } from '../../shared/strategy-config.ts';
import type { Candidate, SnapshotBase, Strategy } from './types.ts';

/** One neighbour of the incumbent: decision `slot` set to `choice`. */
export interface LocalMove {
  readonly slot: number;
  readonly choice: number;
}

/** Meta of a local-search candidate: a random sample, or a neighbour of incumbent `parentId`. */
export type LocalMeta =
  | { readonly kind: 'random' }
  | { readonly kind: 'neighbour'; readonly parentId: number; readonly move: LocalMove };

/** The cell local search moves from: its id, decision sequence and reward. */
export interface LocalIncumbent {
  readonly id: number;
  readonly decisions: readonly number[];
  readonly reward: number;
}

/** Snapshot of local search. */
export interface LocalSnapshot extends SnapshotBase {
  readonly name: 'local';
  /** Random samples of the start still to ask. */
  readonly initLeft: number;
  /** The incumbent; null before the first result and after a restart until a result arrives. */
  readonly incumbent: LocalIncumbent | null;
  /** The incumbent's neighbours not yet asked, next first. */
  readonly untried: readonly LocalMove[];
}

/** A local-search strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createLocalStrategy(
  config: LocalConfig,
  space: SearchSpace,
  snapshot?: LocalSnapshot,
): Strategy<LocalSnapshot> {
  const choices = decisionSlots(space).map((slot) => slot.choices);
  if (snapshot) checkSnapshot(snapshot, space, choices);
  const rng = snapshot ? rngFromState(snapshot.rng) : createRng(config.seed);
  const pending = new PendingCandidates(snapshot?.nextId, snapshot?.pending);
  let initLeft = snapshot?.initLeft ?? config.init;
  let incumbent = snapshot?.incumbent ?? null;
  let untried: LocalMove[] = [...(snapshot?.untried ?? [])];

  function random(): Candidate {
    const meta: LocalMeta = { kind: 'random' };
    return pending.issue(sampleGenotype(rng, space), meta);
  }

  function neighbourInFlight(parentId: number): boolean {
    return pending.list().some((c) => {
      const meta = c.meta;
      return typeof meta === 'object' && meta !== null && 'parentId' in meta
        ? meta.parentId === parentId
        : false;
    });
  }

  function ask(): Candidate {
    if (initLeft > 0) {
      initLeft -= 1;
      return random();
    }
    if (incumbent === null) return random();
    const move = untried.shift();
    if (move === undefined) {
      // Used up: restart once the last neighbours are back without a better one.
      if (!neighbourInFlight(incumbent.id)) incumbent = null;
      return random();
    }
    const decisions = [...incumbent.decisions];
    decisions[move.slot] = move.choice;
    const meta: LocalMeta = { kind: 'neighbour', parentId: incumbent.id, move };
    return pending.issue(decodeDecisions(decisions, space), meta);
  }

  function tell(candidate: Candidate, reward: number | null): void {
    checkReward(candidate.id, reward);
    const told = pending.take(candidate);
    if (reward === null || (incumbent !== null && reward <= incumbent.reward)) return;
    const decisions = encodeDecisions(told.genotype, space);
    const back = incumbent === null ? undefined : movedBack(incumbent.decisions, decisions);
    incumbent = { id: told.id, decisions, reward };
    untried = neighbourOrder(decisions, choices, rng, back).slice(0, config.neighbours);
  }

  return {
    name: 'local',
    ask,
    tell,
    pending: () => pending.list(),
    snapshot: (): LocalSnapshot => ({
      version: 1,
      name: 'local',
      rng: saveRng(rng),
      nextId: pending.nextId(),
      pending: pending.list(),
      initLeft,
      incumbent,
      untried: [...untried],
    }),
  };
}

/**
 * Every move one decision away from `decisions`, shuffled by `rng` (Fisher-Yates), without `skip`
 * (the move back to the cell just left).
 */
export function neighbourOrder(
  decisions: readonly number[],
  choices: readonly number[],
  rng: Rng,
  skip?: LocalMove,
): LocalMove[] {
  const moves: LocalMove[] = [];
  choices.forEach((n, slot) => {
    for (let choice = 0; choice < n; choice++) {
      const isSkip = skip !== undefined && skip.slot === slot && skip.choice === choice;
      if (choice !== decisions[slot] && !isSkip) moves.push({ slot, choice });
    }
  });
  for (let i = moves.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a = moves[i];
    const b = moves[j];
    if (a !== undefined && b !== undefined) [moves[i], moves[j]] = [b, a];
  }
  return moves;
}

/** The move from `to` back to `from` when they differ in exactly one decision. */
function movedBack(from: readonly number[], to: readonly number[]): LocalMove | undefined {
  const differ = to.flatMap((d, slot) => (d === from[slot] ? [] : [slot]));
  const [slot] = differ;
  const choice = slot === undefined ? undefined : from[slot];
  return differ.length === 1 && slot !== undefined && choice !== undefined
    ? { slot, choice }
    : undefined;
}

/** Throws SnapshotMismatchError if the snapshot's decisions and moves do not fit `space`. */
function checkSnapshot(
  snapshot: LocalSnapshot,
  space: SearchSpace,
  choices: readonly number[],
): void {
  const fits = (m: LocalMove): boolean => m.choice < (choices[m.slot] ?? 0);
  if (snapshot.incumbent !== null) {
    try {
      decodeDecisions(snapshot.incumbent.decisions, space);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new SnapshotMismatchError(`the local snapshot's incumbent does not fit: ${why}`);
    }
  }
  const bad = snapshot.untried.findIndex((m) => !fits(m));
  if (bad >= 0) {
    throw new SnapshotMismatchError(
      `the local snapshot's untried[${bad}] is not a move of this search space`,
    );
  }
}
