/**
 * The meta of a candidate the policy sampled or scored: its decision sequence and log-probability.
 * The rl and hybrid strategies both keep it, and both check it here when a candidate comes back.
 */
import { SnapshotMismatchError } from '../errors.ts';
import type { Candidate } from '../types.ts';
import type { RlMeta } from './rl-types.ts';

/** The `{decisions, logp}` meta of `candidate`; throws SnapshotMismatchError naming `whose` if it has none. */
export function sequenceMeta(candidate: Candidate, whose: string): RlMeta {
  const meta = candidate.meta;
  if (
    typeof meta === 'object' &&
    meta !== null &&
    'decisions' in meta &&
    'logp' in meta &&
    Array.isArray(meta.decisions) &&
    meta.decisions.every((d) => Number.isInteger(d)) &&
    typeof meta.logp === 'number'
  ) {
    return { decisions: meta.decisions.map(Number), logp: meta.logp };
  }
  throw new SnapshotMismatchError(
    `candidate ${candidate.id} has no ${whose} meta {decisions, logp}`,
  );
}
