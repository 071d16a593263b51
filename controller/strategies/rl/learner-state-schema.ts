/**
 * The snapshot fields of a policy learner (rl-types.ts `LearnerState`), shared by the RL
 * controller's and the hybrid's snapshot schemas. Snapshots written before updates could queue hold
 * the one running update as `updating`; they are read as a queue of that one update, applied at the
 * next result (that version applied it once the minibatch being collected was half full, so such a
 * resumed run differs from the uninterrupted one in when that one update takes effect).
 */
import { z } from 'zod';
import type { LearnerState, QueuedUpdate, RlExample } from './rl-types.ts';

/** Schema fields of a learner's state, given the snapshot schemas' non-negative safe integer. */
export function learnerStateFields(count: z.ZodNumber) {
  const arrays = z.record(z.string(), z.array(z.number()));
  const sequence = z.array(count);
  const example = z.object({ decisions: sequence, oldLogp: z.number(), advantage: z.number() });
  return {
    policy: z.object({ params: arrays, m: arrays, v: arrays, step: count }),
    baseline: z.number().nullable(),
    finished: z.array(z.object({ decisions: sequence, logp: z.number(), reward: z.number() })),
    updates: count,
    updating: z.array(example).nullable().optional(),
    queue: z.array(z.object({ examples: z.array(example), applyAt: count })).optional(),
    best: z.array(z.object({ decisions: sequence, reward: z.number() })).default([]),
  };
}

/** A parsed snapshot whose learner's queue may still be in the older `updating` form. */
type WithLegacy = {
  readonly updating?: readonly RlExample[] | null | undefined;
  readonly queue?: readonly QueuedUpdate[] | undefined;
};

/** `parsed` with its learner's `queue` in the current form (see the module comment). */
export function withQueue<T extends WithLegacy>(
  parsed: T,
): Omit<T, 'updating' | 'queue'> & Pick<LearnerState, 'queue'> {
  const { updating, queue, ...rest } = parsed;
  return { ...rest, queue: queue ?? (updating ? [{ examples: updating, applyAt: 0 }] : []) };
}
