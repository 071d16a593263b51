/**
 * The schemas every strategy snapshot is built from (see {@link SnapshotParts}), for one search
 * space: genotypes are parsed against it, so a resume rejects a genotype outside the run's space.
 */
import { z } from 'zod';
import { integer, parsedBy } from '../../shared/schema.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import type { SnapshotParts } from './strategy-entry.ts';

const word = integer(0, 0xffffffff, 'a 32-bit word of the generator state');
const count = integer(0, Number.MAX_SAFE_INTEGER);

/** The common snapshot schemas, their genotypes parsed against `space`. */
export function snapshotParts(space: SearchSpace): SnapshotParts {
  const genotype = parsedBy((value) => parseGenotype(value, space));
  const candidate = z.object({ id: count.min(1), genotype, meta: z.unknown() });
  return {
    base: {
      version: z.literal(1),
      rng: z.tuple([word, word, word, word]),
      nextId: count.min(1),
      pending: z.array(candidate),
    },
    genotype,
    count,
  };
}
