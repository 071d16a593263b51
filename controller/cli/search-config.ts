/**
 * `nas-ctl search --config <file>`: a whole search in one YAML (or JSON) file. Its keys are the
 * search flags' names in camelCase (`stepsPerEpoch: 2` is `--steps-per-epoch 2`), and `strategy`
 * is the strategy's name or an object of its options (`{name: evolution, population: 50}`, as in
 * `--strategy-config`). Precedence: defaults < file < flags given on the command line. The file is
 * checked as a whole first: every unknown key, wrong type and bad value is listed with its key.
 */
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CellsearchError, InvalidValueError, type Violation } from '../../shared/errors.ts';
import { describe, didYouMean, joinPath, violationsOf } from '../../shared/schema.ts';
import { STRATEGY_NAMES, STRATEGY_SCHEMAS } from '../../shared/strategy-config.ts';
import { readInputFile } from '../../runtime/input-file.ts';
import { configKeys, type ConfigKey } from './search-config-keys.ts';
import { isRunControl } from './search-flags.ts';
import { FlagConflictError } from './flag-values.ts';

/** A config file that cannot be read or is not a YAML/JSON object. */
export class SearchConfigFileError extends CellsearchError {
  constructor(file: string, why: string) {
    super('INVALID_ARGUMENT', `--config ${file}: ${why}`);
  }
}

/** A strategy flag as strategy-flags.ts adds it: the option it sets and the strategies having it. */
export interface StrategyOptionFlag {
  readonly key: string;
  readonly attribute: string;
  readonly strategies: readonly string[];
}

/**
 * Adds `--config <file>` to `search` and, before its action runs, sets every option the file
 * holds and the command line does not give (source `config`); `strategyFlags` are the flags
 * addStrategyFlags added, which a nested `strategy:` object's options map to.
 */
export function addSearchConfigOption(
  command: Command,
  strategyFlags: readonly StrategyOptionFlag[],
): void {
  command.addOption(
    new Option(
      '--config <file>',
      'the search as a YAML or JSON file: keys are these flags in camelCase (stepsPerEpoch: 2), strategy may be an object of its options; flags given here override it',
    ),
  );
  command.hook('preAction', () => {
    const file: unknown = command.getOptionValue('config');
    if (typeof file === 'string') applySearchConfig(command, file, strategyFlags);
  });
}

/** Reads, checks and applies `file` to `command`'s options (see {@link addSearchConfigOption}). */
export function applySearchConfig(
  command: Command,
  file: string,
  strategyFlags: readonly StrategyOptionFlag[],
): void {
  const values = checkedValues(readConfig(file), command, strategyFlags, file);
  const resume: unknown = command.getOptionValue('resume');
  const settings = [...values].filter(([attribute]) => !isRunControl(attribute));
  if (typeof resume === 'string' && settings.length > 0) {
    const keys = settings.map(([, { path }]) => path).join(', ');
    throw new FlagConflictError(
      `--resume continues with the run's stored settings; drop ${keys} from --config ${file}, or resume without it (nas-ctl status ${resume} shows them)`,
    );
  }
  for (const [attribute, { value }] of values) {
    if (command.getOptionValueSource(attribute) === 'cli') continue;
    command.setOptionValueWithSource(attribute, value, 'config');
  }
}

/** A checked value of the file and the key path it was found at. */
interface Found {
  readonly value: unknown;
  readonly path: string;
}

/** Where checked values (by option attribute) and problems go. */
interface Findings {
  readonly values: Map<string, Found>;
  readonly violations: Violation[];
}

/** The file's values by option attribute, every key checked; throws one error listing all problems. */
function checkedValues(
  config: Readonly<Record<string, unknown>>,
  command: Command,
  strategyFlags: readonly StrategyOptionFlag[],
  file: string,
): Map<string, Found> {
  const keys = configKeys(command, (attribute) => strategyField(strategyFlags, attribute));
  const values = new Map<string, Found>();
  const violations: Violation[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'strategy' && typeof value === 'object' && value !== null) {
      const chosen = strategyChoice(command);
      nestedStrategy(value, chosen, keys, strategyFlags, { values, violations });
      continue;
    }
    const known = keys.get(key);
    if (known === undefined) violations.push(unknownKey(key, '', [...keys.keys()]));
    else check(known, key, value, values, violations);
  }
  if (violations.length > 0) throw new InvalidValueError(`search config ${file}`, violations);
  return values;
}

/** What `--strategy` says and whether it was given on the command line. */
interface StrategyChoice {
  readonly name: unknown;
  readonly given: boolean;
}

function strategyChoice(command: Command): StrategyChoice {
  const name: unknown = command.getOptionValue('strategy');
  return { name, given: command.getOptionValueSource('strategy') === 'cli' };
}

/**
 * `strategy: {name, ...options}`: the name and each option as its flag's value; the options are
 * those of the strategy the search will use (`--strategy` on the command line, else `name`).
 */
function nestedStrategy(
  nested: object,
  chosen: StrategyChoice,
  keys: ReadonlyMap<string, ConfigKey>,
  strategyFlags: readonly StrategyOptionFlag[],
  { values, violations }: Findings,
): void {
  if (Array.isArray(nested)) {
    const message = `expected a strategy name or an object of its options, got ${describe(nested)}`;
    violations.push({ path: 'strategy', message });
    return;
  }
  const entries: Record<string, unknown> = { ...nested };
  const nameKey = keys.get('strategy');
  if (nameKey === undefined) return;
  if (entries.name !== undefined) check(nameKey, 'strategy.name', entries.name, values, violations);
  const name = chosen.given ? chosen.name : (entries.name ?? chosen.name);
  if (typeof name !== 'string' || !STRATEGY_NAMES.some((n) => n === name)) return;
  const own = strategyFlags.filter((f) => f.strategies.includes(name));
  for (const [key, value] of Object.entries(entries)) {
    if (key === 'name') continue;
    const flag = own.find((f) => f.key === key);
    const known = flag === undefined ? undefined : keys.get(flag.attribute);
    if (known === undefined) {
      const allowed = ['name', ...own.map((f) => f.key)];
      const seed = key === 'seed' ? ' (the top-level seed sets it)' : '';
      const v = unknownKey(key, 'strategy', allowed);
      const list = `; allowed with strategy ${name}: ${allowed.join(', ')}`;
      violations.push({ ...v, message: `${v.message}${seed}${list}` });
    } else check(known, joinPath('strategy', key), value, values, violations);
  }
}

function check(
  known: ConfigKey,
  path: string,
  value: unknown,
  values: Map<string, Found>,
  violations: Violation[],
): void {
  const result = known.schema.safeParse(value, { reportInput: true });
  if (result.success) {
    values.set(known.attribute, { value: result.data, path });
    return;
  }
  for (const v of violationsOf(result.error))
    violations.push({ path: v.path === '' ? path : joinPath(path, v.path), message: v.message });
}

function unknownKey(key: string, at: string, allowed: readonly string[]): Violation {
  if (at === '' && (key === 'resume' || key === 'config')) {
    const message = `not a config key: give --${key} on the command line`;
    return { path: key, message };
  }
  const camel = key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const hint = allowed.includes(camel)
    ? ` (did you mean "${camel}"? keys are camelCase)`
    : didYouMean(key, allowed);
  return { path: joinPath(at, key), message: `unknown key${hint}` };
}

/** The strategy schema field of a strategy flag (by its first strategy), for its value's check. */
function strategyField(
  flags: readonly StrategyOptionFlag[],
  attribute: string,
): z.ZodType | undefined {
  const flag = flags.find((f) => f.attribute === attribute);
  const name = STRATEGY_NAMES.find((n) => n === flag?.strategies[0]);
  if (flag === undefined || name === undefined) return undefined;
  const shape: Readonly<Record<string, z.ZodType>> = STRATEGY_SCHEMAS[name].shape;
  return Object.hasOwn(shape, flag.key) ? shape[flag.key] : undefined;
}

/** The file's top-level object (YAML, of which JSON is a part). */
function readConfig(file: string): Record<string, unknown> {
  const text = readInputFile(file, '--config');
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    const why = (err instanceof Error ? err.message.split('\n')[0] : String(err)) ?? '';
    throw new SearchConfigFileError(file, `not valid YAML or JSON: ${why.replace(/:$/, '')}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SearchConfigFileError(
      file,
      `expected an object of search options, got ${describe(value)}`,
    );
  }
  return { ...value };
}
