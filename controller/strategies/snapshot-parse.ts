/**
 * The one parser for snapshots read back from storage: `parseSearchSnapshot` checks the search's
 * envelope (journal position, the run's strategy) and `parseStrategySnapshot` the strategy inside it,
 * with its genotypes parsed against the run's search space. Both return typed values or throw
 * InvalidValueError listing every problem with its path. Shapes that depend on the config (RL
 * weight sizes) are checked on restore.
 */
import { z } from 'zod';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import { integer, joinPath, parsedBy, violationsOf } from '../../shared/schema.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import type { SearchSnapshot, StrategyName, StrategySnapshot } from './types.ts';

const word = integer(0, 0xffffffff, 'a 32-bit word of the generator state');
const count = integer(0, Number.MAX_SAFE_INTEGER);
const arrays = z.record(z.string(), z.array(z.number()));

/** The snapshot schema of every strategy, its genotypes parsed against `space`. */
function snapshotSchema(space: SearchSpace) {
  const genotype = parsedBy((value) => parseGenotype(value, space));
  const candidate = z.object({ id: count.min(1), genotype, meta: z.unknown() });
  const base = {
    version: z.literal(1),
    rng: z.tuple([word, word, word, word]),
    nextId: count.min(1),
    pending: z.array(candidate),
  };
  return z.discriminatedUnion('name', [
    z.object({ name: z.literal('random'), ...base }),
    z.object({
      name: z.literal('evolution'),
      ...base,
      population: z.array(z.object({ id: count.min(1), genotype, reward: z.number() })),
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
}

/** The search's envelope; the strategy inside it is parsed by {@link parseStrategySnapshot}. */
const ENVELOPE = z.object({
  version: z.literal(1).optional(),
  journalSeq: count,
  strategy: z.unknown(),
});

/**
 * Parses a search snapshot (as `JSON.parse` returns it) of a run over `space` whose strategy is
 * `strategy`. Snapshots written before the envelope had a version are version 1.
 */
export function parseSearchSnapshot(
  input: unknown,
  space: SearchSpace,
  strategy: StrategyName,
): SearchSnapshot {
  const result = ENVELOPE.safeParse(input);
  const violations = result.success ? [] : violationsOf(result.error);
  const inner = strategyViolations(
    typeof input === 'object' && input !== null && 'strategy' in input ? input.strategy : undefined,
    space,
  );
  violations.push(...inner.violations.map((v) => ({ ...v, path: joinPath('strategy', v.path) })));
  const name = inner.value?.name;
  if (name !== undefined && name !== strategy) {
    violations.push({
      path: 'strategy.name',
      message: `a ${name} snapshot, but the run's strategy is ${strategy}`,
    });
  }
  if (!result.success || inner.value === null || violations.length > 0)
    throw new InvalidValueError('search snapshot', violations);
  return { version: 1, journalSeq: result.data.journalSeq, strategy: inner.value };
}

/** Parses a strategy snapshot (as `JSON.parse` returns it) of a strategy over `space`. */
export function parseStrategySnapshot(input: unknown, space: SearchSpace): StrategySnapshot {
  const { value, violations } = strategyViolations(input, space);
  if (value === null || violations.length > 0)
    throw new InvalidValueError('strategy snapshot', violations);
  return value;
}

/** The parsed strategy snapshot (null when it does not parse) and every problem found in it. */
function strategyViolations(
  input: unknown,
  space: SearchSpace,
): { value: StrategySnapshot | null; violations: Violation[] } {
  const result = snapshotSchema(space).safeParse(input, { reportInput: true });
  if (!result.success) return { value: null, violations: violationsOf(result.error) };
  return { value: result.data, violations: [] };
}
