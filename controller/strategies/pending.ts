/** The candidates a strategy has handed out and not yet heard back about, with their id counter. */
import type { Genotype } from '../../shared/genotype.ts';
import { UnknownCandidateError } from './errors.ts';
import type { Candidate } from './types.ts';

/** Issues sequential candidate ids and tracks the candidates in flight, oldest first. */
export class PendingCandidates {
  private readonly byId = new Map<number, Candidate>();

  /** Continues from a snapshot's `nextId` and `pending`, or starts at id 1. */
  constructor(
    private next = 1,
    pending: readonly Candidate[] = [],
  ) {
    for (const candidate of pending) this.byId.set(candidate.id, candidate);
  }

  /** A new candidate with the next id, recorded as pending. */
  issue(genotype: Genotype, meta: unknown): Candidate {
    const candidate: Candidate = Object.freeze({ id: this.next++, genotype, meta });
    this.byId.set(candidate.id, candidate);
    return candidate;
  }

  /** Removes and returns the pending candidate with `candidate`'s id; throws if there is none. */
  take(candidate: Candidate): Candidate {
    const found = this.byId.get(candidate.id);
    if (found === undefined) throw new UnknownCandidateError(candidate.id);
    this.byId.delete(candidate.id);
    return found;
  }

  /** The id the next candidate gets. */
  nextId(): number {
    return this.next;
  }

  /** How many candidates are in flight. */
  size(): number {
    return this.byId.size;
  }

  /** The candidates in flight, oldest first (Map iteration keeps insertion order). */
  list(): readonly Candidate[] {
    return [...this.byId.values()];
  }
}
