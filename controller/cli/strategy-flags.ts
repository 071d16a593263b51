/**
 * Every strategy option as a flag, generated from the strategy schemas in shared/strategy-config.ts,
 * plus `--strategy-config <file>` (JSON or YAML). Precedence: defaults < file < flags. The file's
 * options are checked on their own first, so a bad one is reported with the file's name; the merged
 * config is parsed again with the search settings, so a bad flag is reported with its path.
 */
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CellsearchError, InvalidValueError } from '../../shared/errors.ts';
import {
  STRATEGY_NAMES,
  STRATEGY_SCHEMAS,
  parseStrategyConfig,
  type StrategyName,
} from '../../shared/strategy-config.ts';
import { fieldInfo, type FieldInfo } from '../../shared/field-info.ts';
import { readInputFile } from '../../runtime/input-file.ts';
import { FlagConflictError, kebab, numberOrText } from './flag-values.ts';

/** A strategy config file that cannot be read or is not JSON/YAML. */
export class StrategyConfigFileError extends CellsearchError {
  constructor(file: string, why: string) {
    super('INVALID_ARGUMENT', `--strategy-config ${file}: ${why}`);
  }
}

/** One generated flag: the option it sets and the strategies that have it. */
interface StrategyFlag {
  readonly key: string;
  /** The commander attribute name of the flag. */
  readonly attribute: string;
  readonly flag: string;
  readonly strategies: readonly StrategyName[];
}

/** Options set elsewhere: the strategy by `--strategy`, the seed by `--seed`. */
const NOT_FLAGS = new Set(['name', 'seed']);

/**
 * Adds `--strategy-config` and one flag per strategy option: `--<option>` (`--population`,
 * `--lstm-units`), or `--<strategy>-<option>` where the plain name is another flag's
 * (`--rl-learning-rate`, `--rl-batch-size` next to the training flags). Call after every other flag.
 */
export function addStrategyFlags(command: Command): StrategyFlag[] {
  command.option(
    '--strategy-config <file>',
    'strategy options as JSON or YAML (e.g. {"population": 50}); flags override it',
  );
  const taken = new Set(command.options.map((o) => o.long));
  const flags = new Map<string, { info: FieldInfo; flag: string; strategies: StrategyName[] }>();
  for (const name of STRATEGY_NAMES) {
    for (const info of fieldInfo(STRATEGY_SCHEMAS[name])) {
      if (NOT_FLAGS.has(info.key)) continue;
      const plain = `--${kebab(info.key)}`;
      const flag = taken.has(plain) ? `--${name}-${kebab(info.key)}` : plain;
      const known = flags.get(flag);
      if (known === undefined) flags.set(flag, { info, flag, strategies: [name] });
      else known.strategies.push(name);
    }
  }
  const added: StrategyFlag[] = [];
  for (const { info, flag, strategies } of flags.values()) {
    const range =
      info.kind === 'choice'
        ? `; one of ${info.values?.join(', ') ?? ''}`
        : info.kind === 'number' && info.max !== undefined && info.max <= 1e6
          ? `; ${info.min ?? '-inf'}..${info.max}`
          : '';
    const fallback = `default ${JSON.stringify(info.default)}`;
    const help = `${strategies.join('/')}: ${info.doc} (${fallback}${range})`;
    const option = new Option(`${flag} <value>`, help).argParser(numberOrText);
    command.addOption(option);
    added.push({ key: info.key, attribute: option.attributeName(), flag, strategies });
  }
  return added;
}

/** What `--strategy` and `--seed` say, and whether they were given or are defaults. */
export interface StrategyChoice {
  readonly name: StrategyName;
  readonly nameGiven: boolean;
  readonly seed: number;
  readonly seedGiven: boolean;
}

/**
 * The strategy config the command line asks for, unchecked: defaults < `--strategy-config` file <
 * flags. The file may name the strategy when `--strategy` is not given; a flag of another strategy
 * than the chosen one is an error naming both.
 */
export function strategyFromFlags(
  flags: readonly StrategyFlag[],
  options: Readonly<Record<string, unknown>>,
  choice: StrategyChoice,
): Record<string, unknown> {
  const path = options.strategyConfig;
  const file = typeof path === 'string' ? readConfigFile(path) : {};
  if (choice.nameGiven && file.name !== undefined && file.name !== choice.name) {
    throw new FlagConflictError(
      `--strategy ${choice.name} disagrees with name ${JSON.stringify(file.name)} in --strategy-config ${String(path)}`,
    );
  }
  const given: Record<string, unknown> = { name: choice.name, seed: choice.seed, ...file };
  if (typeof path === 'string') checkFileOptions(path, given);
  if (choice.seedGiven) given.seed = choice.seed;
  const name = STRATEGY_NAMES.find((n) => n === given.name) ?? choice.name;
  for (const f of flags) {
    const value = options[f.attribute];
    if (value === undefined) continue;
    if (!f.strategies.includes(name)) {
      throw new FlagConflictError(
        `${f.flag} is an option of --strategy ${f.strategies.join('/')}, not of --strategy ${name}`,
      );
    }
    given[f.key] = value;
  }
  return given;
}

/** Throws an error naming `file` and each of its bad options when `config` does not parse. */
function checkFileOptions(file: string, config: Readonly<Record<string, unknown>>): void {
  try {
    parseStrategyConfig(config);
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    throw new InvalidValueError(`strategy options in --strategy-config ${file}`, err.violations);
  }
}

/** The options in a JSON or YAML file: an object, with `name` (if any) left for the schema to check. */
function readConfigFile(file: string): Record<string, unknown> {
  // Only a regular file is read: a FIFO or a device would block or stream.
  const textOf = readInputFile(file, '--strategy-config');
  let value: unknown;
  try {
    value = extname(file).toLowerCase() === '.json' ? JSON.parse(textOf) : parseYaml(textOf);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StrategyConfigFileError(file, `not valid JSON or YAML: ${why ?? ''}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StrategyConfigFileError(file, 'expected an object of strategy options');
  }
  return { ...value };
}
