/**
 * The one parser for strategy snapshots read back from storage: it returns a typed snapshot whose
 * genotypes are parsed against the search space, or throws InvalidValueError listing every problem
 * with its path. Shapes that depend on the config (RL weight sizes) are checked on restore.
 */
import { z } from 'zod';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import type { Candidate, StrategySnapshot } from './types.ts';

const word = z.number().int().min(0).max(0xffffffff);
const count = z.number().int().min(0);
const candidate = z.object({ id: count.min(1), genotype: z.unknown(), meta: z.unknown() });
const base = {
  version: z.literal(1),
  rng: z.tuple([word, word, word, word]),
  nextId: count.min(1),
  pending: z.array(candidate),
};
const arrays = z.record(z.string(), z.array(z.number()));

const SNAPSHOT = z.discriminatedUnion('name', [
  z.object({ name: z.literal('random'), ...base }),
  z.object({
    name: z.literal('evolution'),
    ...base,
    population: z.array(z.object({ id: count.min(1), genotype: z.unknown(), reward: z.number() })),
  }),
  z.object({
    name: z.literal('rl'),
    ...base,
    policy: z.object({ params: arrays, m: arrays, v: arrays, step: count }),
    baseline: z.number().nullable(),
    finished: z.array(
      z.object({ decisions: z.array(count), logp: z.number(), reward: z.number() }),
    ),
    updates: count,
    updating: z
      .array(z.object({ decisions: z.array(count), oldLogp: z.number(), advantage: z.number() }))
      .nullable()
      .default(null),
  }),
]);

/** Parses a snapshot (as `JSON.parse` returns it) of a strategy over `space`. */
export function parseStrategySnapshot(input: unknown, space: SearchSpace): StrategySnapshot {
  const result = SNAPSHOT.safeParse(input);
  if (!result.success) {
    throw new InvalidValueError(
      'strategy snapshot',
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const violations: Violation[] = [];
  const genotype = (value: unknown, path: string): Genotype => {
    try {
      return parseGenotype(value, space);
    } catch (err) {
      if (!(err instanceof InvalidValueError)) throw err;
      for (const v of err.violations) {
        violations.push({ ...v, path: v.path === '' ? path : `${path}.${v.path}` });
      }
      return { normal: { blocks: [] }, reduction: { blocks: [] } };
    }
  };
  const s = result.data;
  const pending: Candidate[] = s.pending.map((c, i) => ({
    ...c,
    genotype: genotype(c.genotype, `pending.${i}.genotype`),
  }));
  const parsed: StrategySnapshot =
    s.name === 'evolution'
      ? {
          ...s,
          pending,
          population: s.population.map((m, i) => ({
            ...m,
            genotype: genotype(m.genotype, `population.${i}.genotype`),
          })),
        }
      : { ...s, pending };
  if (violations.length > 0) throw new InvalidValueError('strategy snapshot', violations);
  return parsed;
}
