/**
 * What a table of strategy entries makes: the functions that create, prepare, restore and chart
 * strategies by the name in their config, for every strategy in the table and no other. The built-in
 * table makes the registry the controller uses (registry.ts); a table with one more entry makes a
 * registry that knows it too, without a line changed here.
 */
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import { describe, joinPath, parseWith, violationsOf } from '../../shared/schema.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { SnapshotMismatchError } from './errors.ts';
import { parseSearchEnvelope } from './search-envelope.ts';
import type { SignalReplay, StrategySignalBase } from './signal-replay.ts';
import { snapshotParts } from './snapshot-schema.ts';
import type {
  SignalIn,
  SnapshotIn,
  StrategyConfigBase,
  StrategyEntry,
  StrategyTable,
  StrategyTypes,
  StrategyTypesMap,
} from './strategy-entry.ts';
import type { SearchSnapshot, Strategy, StrategySnapshotBase } from './types.ts';

/**
 * The functions over the strategies of one table; `S`: any of their snapshots, `G`: any of their
 * dashboard signals. A registry of more specific types is one of less specific types.
 */
export interface StrategyRegistry<
  S extends StrategySnapshotBase = StrategySnapshotBase,
  G extends StrategySignalBase = StrategySignalBase,
> {
  /** Every strategy's name, in table order. */
  readonly names: readonly string[];
  /** Readies what the strategy `config` names needs before its first tell (RL: its update thread). */
  prepare(config: StrategyConfigBase): Promise<void>;
  /**
   * The strategy `config` names, over `space`: fresh from its seed, or continuing exactly from
   * `snapshot` (taken from a strategy with the same config and space). The config and the snapshot
   * are parsed by the strategy's own schemas, so one built in code gets the checks a stored one has.
   * Throws InvalidValueError for a bad config and SnapshotMismatchError for a snapshot of another
   * strategy or shape.
   */
  create(
    config: StrategyConfigBase,
    space: SearchSpace,
    snapshot?: StrategySnapshotBase,
  ): Strategy<S>;
  /** Parses a strategy snapshot (as `JSON.parse` returns it) of a strategy over `space`. */
  parseSnapshot(input: unknown, space: SearchSpace): S;
  /**
   * Parses a search snapshot (as `JSON.parse` returns it) of a run over `space` whose strategy is
   * `strategy`. Throws InvalidValueError listing every problem with its path.
   */
  parseSearchSnapshot(input: unknown, space: SearchSpace, strategy: string): SearchSnapshot<S>;
  /** The dashboard's replay of the learning signal of the strategy `config` names. */
  signal(config: StrategyConfigBase): SignalReplay<G>;
  /** How the dashboard reads a candidate's sampling log-probability for strategy `name`, if it needs it. */
  logpOf(name: string): ((meta: unknown) => number | null) | null;
}

/** The registry of `table`; throws if an entry is not under its own name. */
export function strategyRegistry<M extends StrategyTypesMap>(
  table: StrategyTable<M>,
): StrategyRegistry<SnapshotIn<M>, SignalIn<M>> {
  const names = Object.freeze(Object.keys(table).filter(isName));
  function isName(name: string): name is keyof M & string {
    return Object.hasOwn(table, name);
  }
  for (const name of names) {
    if (table[name].name !== name)
      throw new TypeError(`strategy entry "${table[name].name}" is listed as "${name}"`);
  }
  const allowed = `allowed: ${names.join(', ')}`;
  const unknown = (name: unknown): string =>
    `unknown strategy ${typeof name === 'string' ? JSON.stringify(name) : describe(name)}; ${allowed}`;
  function find(name: unknown): StrategyEntry<M[keyof M & string]> | undefined {
    const key = names.find((n) => n === name);
    return key === undefined ? undefined : table[key];
  }
  function entryOf(name: string, what: string): StrategyEntry<M[keyof M & string]> {
    const entry = find(name);
    if (entry !== undefined) return entry;
    throw new InvalidValueError(what, [{ path: 'name', message: unknown(name) }]);
  }

  /** The parsed strategy snapshot (null when it does not parse) and every problem found in it. */
  function parseStrategy(
    input: unknown,
    space: SearchSpace,
  ): { value: SnapshotIn<M> | null; violations: Violation[] } {
    const name = typeof input === 'object' && input !== null && 'name' in input ? input.name : null;
    const entry = find(name);
    if (entry === undefined) {
      const message =
        name === null
          ? `expected a strategy snapshot {name, version, ...}, got ${describe(input)}`
          : unknown(name);
      return { value: null, violations: [{ path: name === null ? '' : 'name', message }] };
    }
    return parseEntrySnapshot(entry, input, space);
  }

  return {
    names,
    prepare: async (config) => {
      await entryOf(config.name, 'strategy config').prepare?.();
    },
    create: (config, space, snapshot) =>
      createFrom(entryOf(config.name, 'strategy config'), config, space, snapshot),
    parseSnapshot(input, space) {
      const { value, violations } = parseStrategy(input, space);
      if (value === null || violations.length > 0)
        throw new InvalidValueError('strategy snapshot', violations);
      return value;
    },
    parseSearchSnapshot(input, space, strategy) {
      const envelope = parseSearchEnvelope(input);
      const inner = parseStrategy(envelope.strategy, space);
      const violations = [
        ...envelope.violations,
        ...inner.violations.map((v) => ({ ...v, path: joinPath('strategy', v.path) })),
      ];
      const name = inner.value?.name;
      if (name !== undefined && name !== strategy) {
        const message = `a ${name} snapshot, but the run's strategy is ${strategy}`;
        violations.push({ path: 'strategy.name', message });
      }
      if (envelope.journalSeq === null || inner.value === null || violations.length > 0)
        throw new InvalidValueError('search snapshot', violations);
      return { version: 1, journalSeq: envelope.journalSeq, strategy: inner.value };
    },
    signal: (config) => {
      const entry = entryOf(config.name, 'strategy config');
      return entry.signal(parseWith(entry.config, config, 'strategy config'));
    },
    logpOf: (name) => find(name)?.logpOf ?? null,
  };
}

/** `entry`'s strategy from a config and snapshot of any type, both parsed by its schemas. */
function createFrom<T extends StrategyTypes>(
  entry: StrategyEntry<T>,
  given: StrategyConfigBase,
  space: SearchSpace,
  snapshot: StrategySnapshotBase | undefined,
): Strategy<T['snapshot']> {
  const config = parseWith(entry.config, given, 'strategy config');
  if (snapshot === undefined) return entry.create(config, space);
  if (snapshot.name !== entry.name) {
    throw new SnapshotMismatchError(
      `cannot restore a ${entry.name} strategy from a ${snapshot.name} snapshot`,
    );
  }
  if (snapshot.version !== 1) {
    throw new SnapshotMismatchError(
      `unsupported strategy snapshot version ${String(snapshot.version)}`,
    );
  }
  const { value, violations } = parseEntrySnapshot(entry, snapshot, space);
  if (value === null || violations.length > 0) {
    const listed = violations.map((v) => `${v.path === '' ? '(root)' : v.path}: ${v.message}`);
    throw new SnapshotMismatchError(
      `the ${entry.name} snapshot does not parse: ${listed.join('; ')}`,
    );
  }
  return entry.create(config, space, value);
}

/** `input` parsed by `entry`'s snapshot schema over `space`, or every problem found in it. */
function parseEntrySnapshot<T extends StrategyTypes>(
  entry: StrategyEntry<T>,
  input: unknown,
  space: SearchSpace,
): { value: T['snapshot'] | null; violations: Violation[] } {
  const result = entry.snapshot(snapshotParts(space)).safeParse(input, { reportInput: true });
  if (!result.success) return { value: null, violations: violationsOf(result.error) };
  return { value: result.data, violations: [] };
}
