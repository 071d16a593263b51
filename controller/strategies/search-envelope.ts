/**
 * The envelope of a search snapshot: its version and the journal position the strategy state
 * reflects. The strategy inside is left for its own schema (see strategy-registry.ts).
 */
import { z } from 'zod';
import type { Violation } from '../../shared/errors.ts';
import { integer, violationsOf } from '../../shared/schema.ts';

const ENVELOPE = z.object({
  // Snapshots written before the envelope had a version are version 1.
  version: z.literal(1).optional(),
  journalSeq: integer(0, Number.MAX_SAFE_INTEGER),
  strategy: z.unknown(),
});

/** The envelope's journal position (null when it does not parse), the strategy inside, and every problem. */
export function parseSearchEnvelope(input: unknown): {
  journalSeq: number | null;
  strategy: unknown;
  violations: Violation[];
} {
  const result = ENVELOPE.safeParse(input);
  const strategy =
    typeof input === 'object' && input !== null && 'strategy' in input ? input.strategy : undefined;
  if (!result.success)
    return { journalSeq: null, strategy, violations: violationsOf(result.error) };
  return { journalSeq: result.data.journalSeq, strategy, violations: [] };
}
