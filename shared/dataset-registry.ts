/**
 * The parser, canonical formatter, facts and schema of dataset specs, built from a kind table
 * (shared/dataset-kind.ts). The built-in table makes the functions the rest of the code calls
 * (shared/dataset-spec.ts); a table with one more kind makes a registry that knows it too. A folder
 * stays as written: only the trainer knows what a relative folder is relative to.
 */
import { z } from 'zod';
import type {
  DatasetFacts,
  DatasetFactsTable,
  DatasetKindTable,
  DatasetOptionSchemas,
  DatasetSpecIn,
  DatasetSpecsOf,
} from './dataset-kind.ts';
import { InvalidValueError, type Violation } from './errors.ts';
import { fieldInfo, type FieldInfo } from './field-info.ts';
import { deepFreeze, describe, didYouMean, parsedBy } from './schema.ts';

/** What a kind table makes: its kinds, their forms, and the functions over their specs. */
export interface DatasetRegistry<T extends DatasetKindTable> {
  /** Every kind, in table order. */
  readonly kinds: readonly (keyof T & string)[];
  /** The accepted forms, one per kind, for error messages and `--help`. */
  readonly forms: readonly string[];
  /**
   * Parses a spec: `kind`, then `:` and the folder for kinds that read one, then `name=value`
   * options separated by commas, in any order, each at most once; absent options take the table's
   * defaults. Options follow the folder, so a folder's own name must not end in `,name=value`.
   * Throws InvalidValueError('dataset spec "..."') listing every problem with its path (`kind`,
   * `dir`, `classes`, ...), the allowed forms for an unknown kind.
   */
  readonly parse: (text: string) => DatasetSpecIn<T>;
  /** The canonical string of a spec: the folder as written, then every option in table order. */
  readonly format: (spec: DatasetSpecIn<T>) => string;
  /** The image shape, classes and split sizes a spec tells before a byte is read. */
  readonly facts: (spec: DatasetSpecIn<T>) => DatasetFacts;
  /** The schema of a spec: its string or its JSON form, with the parser's messages under its path. */
  readonly schema: z.ZodType<DatasetSpecIn<T>, unknown>;
}

/** Longest piece of a spec quoted in an error's heading (the wire allows long strings). */
const QUOTE_LIMIT = 80;
/** Specs a registry remembers by their text before it forgets them all at once. */
const PARSED_LIMIT = 256;
/** `name=value`: an option, as opposed to a piece of a folder's name. */
const OPTION = /^[a-z][a-z0-9-]*=[^=]*$/;

/** The registry of `table`; every entry's `facts` must accept its kind's spec (compiler-checked). */
export function datasetRegistry<T extends DatasetKindTable>(
  table: T & DatasetFactsTable<T>,
): DatasetRegistry<T> {
  const kinds: readonly (keyof T & string)[] = Object.freeze(Object.keys(table).filter(isKind));
  function isKind(name: string): name is keyof T & string {
    return Object.hasOwn(table, name);
  }
  const index = indexKinds(kinds.map((kind) => [kind, table[kind]]));
  const forms: readonly string[] = Object.freeze([...index.values()].map((k) => k.form));
  /** A checked record as a spec of the table (how the untyped parse result becomes typed). */
  const isSpec = (value: Readonly<Record<string, unknown>>): value is DatasetSpecIn<T> =>
    matchesKind(index, value);

  const parsed = new Map<string, DatasetSpecIn<T>>();
  function parse(text: string): DatasetSpecIn<T> {
    // A trainer parses the same few specs for every trial; parsed specs are deep-frozen, so shared.
    const known = parsed.get(text);
    if (known !== undefined) return known;
    const spec = deepFreeze(parseText(index, forms, text));
    if (!isSpec(spec)) throw new Error(`dataset spec ${JSON.stringify(text)} parsed incompletely`);
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(text, spec);
    return spec;
  }

  const factsTable: DatasetFactsTable<T> = table;
  /** `kind` apart from `spec` lets the compiler match the entry to the spec (TypeScript #47109). */
  function factsOf<K extends keyof T & string>(kind: K, spec: DatasetSpecsOf<T>[K]): DatasetFacts {
    return factsTable[kind].facts(spec);
  }

  const schema: z.ZodType<DatasetSpecIn<T>, unknown> = parsedBy((value) => {
    if (typeof value === 'string') return parse(value);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return parse(textOfObject(value));
    const message = `expected a dataset spec (${forms.join(', ')}), got ${describe(value)}`;
    throw new InvalidValueError('dataset spec', [{ path: '', message }]);
  }).describe(`a dataset spec; one of ${forms.join(', ')}`);

  return Object.freeze({
    kinds,
    forms,
    parse,
    format: (spec: DatasetSpecIn<T>) => formatSpec(index, spec.kind, Object.entries(spec)),
    facts: (spec: DatasetSpecIn<T>) => factsOf(spec.kind, spec),
    schema,
  });
}

/** What the parser reads of one kind: its table entry, its options' info and its form. */
interface IndexedKind {
  readonly dir: boolean;
  readonly options: DatasetOptionSchemas;
  readonly info: readonly FieldInfo[];
  readonly form: string;
}

/** Each kind of a table by name, in table order. */
type KindIndex = ReadonlyMap<string, IndexedKind>;

function indexKinds(
  entries: readonly (readonly [string, { dir: boolean; options: DatasetOptionSchemas }])[],
): KindIndex {
  return new Map(
    entries.map(([kind, { dir, options }]) => {
      const info = fieldInfo(z.object(options));
      const list = info
        .map((o) => `${o.key}=${o.kind === 'number' ? 'N' : (o.values ?? []).join('|')}`)
        .join(',');
      const form = dir
        ? `${kind}:<dir>${list === '' ? '' : `[,${list}]`}`
        : `${kind}${list === '' ? '' : `[:${list}]`}`;
      return [kind, { dir, options, info, form }];
    }),
  );
}

/** The fields `text` names (kind, folder, every option), or InvalidValueError with every problem. */
function parseText(
  index: KindIndex,
  forms: readonly string[],
  text: string,
): Readonly<Record<string, unknown>> {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1);
  const allowed = `allowed: ${forms.join(', ')}`;
  if (trimmed === '')
    throw invalid(text, [{ path: '', message: `empty dataset spec; ${allowed}` }]);
  const entry = index.get(kind);
  if (entry === undefined) {
    const hint = didYouMean(kind, [...index.keys()]);
    const message = `unknown dataset kind ${JSON.stringify(kind)}${hint}; ${allowed}`;
    throw invalid(text, [{ path: 'kind', message }]);
  }
  const violations: Violation[] = [];
  const { dir, pairs } = splitDirAndOptions(rest, entry.dir);
  if (entry.dir && dir === '')
    violations.push({ path: 'dir', message: `${kind} needs a folder: ${entry.form}` });
  const options = parseOptions(kind, entry, pairs, violations);
  if (violations.length > 0) throw invalid(text, violations);
  return { kind, ...(entry.dir ? { dir } : {}), ...options };
}

/** Every option's value, in table order: the given ones checked by their schema, the rest defaulted. */
function parseOptions(
  kind: string,
  entry: IndexedKind,
  pairs: readonly string[],
  violations: Violation[],
): Record<string, unknown> {
  const values = new Map<string, unknown>();
  const seen = new Set<string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    const option = entry.info.find((o) => o.key === name);
    const schema = entry.options[name];
    if (option === undefined || schema === undefined) {
      violations.push({ path: name, message: unknownOption(kind, entry, name) });
    } else if (seen.has(name)) {
      violations.push({ path: name, message: `option ${JSON.stringify(name)} is given twice` });
    } else {
      seen.add(name);
      // Numbers are written in decimal; anything else goes to the schema as text, to be quoted.
      const numeric = option.kind === 'number' && /^[+-]?\d+(\.\d+)?$/.test(raw);
      const result = schema.safeParse(numeric ? Number(raw) : raw, { reportInput: true });
      if (result.success) values.set(name, result.data);
      for (const issue of result.error?.issues ?? [])
        violations.push({ path: name, message: issue.message });
    }
  }
  return Object.fromEntries(
    entry.info.map(({ key, default: d }) => [key, values.has(key) ? values.get(key) : d]),
  );
}

/**
 * Whether `value` is a spec of a kind in `index`: a folder exactly when the kind reads one, every
 * option of the kind, valid, and nothing else.
 */
function matchesKind(index: KindIndex, value: Readonly<Record<string, unknown>>): boolean {
  const kind = value['kind'];
  const entry = typeof kind === 'string' ? index.get(kind) : undefined;
  if (entry === undefined) return false;
  const fields = 1 + (entry.dir ? 1 : 0) + entry.info.length;
  return (
    Object.keys(value).length === fields &&
    (!entry.dir || typeof value['dir'] === 'string') &&
    Object.entries(entry.options).every(([name, s]) => s.safeParse(value[name]).success)
  );
}

/** The canonical string of a spec's fields: the folder as written, then every option in table order. */
function formatSpec(index: KindIndex, kind: string, fields: readonly [string, unknown][]): string {
  const values = new Map(fields);
  const names = index.get(kind)?.info.map((o) => o.key) ?? [];
  const options = names.map((name) => `${name}=${String(values.get(name))}`);
  const dir = values.get('dir');
  const parts = typeof dir === 'string' ? [dir, ...options] : options;
  return parts.length === 0 ? kind : `${kind}:${parts.join(',')}`;
}

function invalid(spec: string, violations: readonly Violation[]): InvalidValueError {
  const shown = spec.length > QUOTE_LIMIT ? `${spec.slice(0, QUOTE_LIMIT)}...` : spec;
  return new InvalidValueError(`dataset spec ${JSON.stringify(shown)}`, violations);
}

/** Separates `<dir>,a=1,b=2` into the folder and its trailing `name=value` options. */
function splitDirAndOptions(rest: string, hasDir: boolean): { dir: string; pairs: string[] } {
  if (!hasDir) return { dir: '', pairs: rest === '' ? [] : rest.split(',') };
  const parts = rest.split(',');
  const pairs: string[] = [];
  while (parts.length > 1 && OPTION.test(parts[parts.length - 1] ?? '')) {
    pairs.unshift(parts.pop() ?? '');
  }
  return { dir: parts.join(','), pairs };
}

function unknownOption(kind: string, entry: IndexedKind, name: string): string {
  const names = Object.keys(entry.options);
  const none = entry.dir ? 'no options' : 'no folder and no options (it is built in)';
  const list = names.length === 0 ? `${kind} takes ${none}` : `allowed: ${names.join(', ')}`;
  return `unknown option ${JSON.stringify(name)} for ${kind}${didYouMean(name, names)}; ${list}`;
}

/**
 * The text form of a spec's JSON form (`{ "kind": "cifar10", "dir": "d" }`, what JSON.stringify
 * writes of a parsed spec), so both go through the one parser and get the same messages.
 */
function textOfObject(value: object): string {
  const violations: Violation[] = [];
  const scalar = (path: string, v: unknown): string => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    violations.push({ path, message: `expected a string or number, got ${describe(v)}` });
    return '';
  };
  const fields = new Map<string, unknown>(Object.entries(value));
  const head = fields.has('dir') ? [scalar('dir', fields.get('dir'))] : [];
  const options = [...fields]
    .filter(([name]) => name !== 'kind' && name !== 'dir')
    .map(([name, v]) => `${name}=${scalar(name, v)}`);
  const kind = scalar('kind', fields.get('kind'));
  if (violations.length > 0) throw new InvalidValueError('dataset spec', violations);
  const parts = [...head, ...options];
  return parts.length === 0 ? kind : `${kind}:${parts.join(',')}`;
}
