/**
 * Dataset specs: what `--dataset` names, the wire's `dataset` field carries and the run store keeps,
 * parsed and formatted here only. One table lists every kind of dataset, whether it reads a folder
 * and its options with their ranges and defaults; the {@link DatasetSpec} type, the parser, the
 * canonical string and the `--help` forms all follow from it. A folder stays as written: only the
 * trainer knows what a relative folder is relative to.
 */
import { z } from 'zod';
import { InvalidValueError, type Violation } from './errors.ts';
import { deepFreeze, describe, didYouMean, integer, oneOf, parsedBy } from './schema.ts';
import { fieldInfo, type FieldInfo } from './field-info.ts';

/** What the table says about one kind: whether it reads a folder, and its `name=value` options. */
interface DatasetKindRule {
  /** Whether the spec names a folder (`kind:<dir>`). */
  readonly dir: boolean;
  /** Every option with its range and default; a spec always carries every option. */
  readonly options: Readonly<Record<string, z.ZodDefault>>;
}

/**
 * Every kind of dataset, in the order `--help` lists them. Adding a kind is one entry here and one
 * reader in the trainer's loader table (trainer/data/read-dataset.ts).
 */
export const DATASET_KIND_TABLE = Object.freeze({
  /**
   * The embedded default: 6000 training and 1000 test images of Fashion-MNIST, 600 and 100 per class,
   * shipped in the repository (datasets/fashion-mnist-small/, MIT licence).
   */
  'fashion-mnist-small': { dir: false, options: {} },
  /** The built-in synthetic dataset (trainer/data/synthetic.ts): oriented gratings, one per class. */
  synthetic: {
    dir: false,
    options: {
      classes: integer(2, 1000, 'classes').default(10),
      // 512 is above NASNet-Large's 331x331; larger synthetic images teach nothing new.
      size: integer(8, 512, 'image side in pixels').default(32),
      // 1e6 is the order of ImageNet's 1.28M; memory admission refuses what a trainer cannot hold.
      train: integer(1, 1_000_000, 'training examples').default(5000),
      test: integer(0, 1_000_000, 'test examples; 0 = no test split').default(1000),
      seed: integer(0, 2 ** 32 - 1, 'generator seed').default(0),
    },
  },
  /** CIFAR-10's binary version: `data_batch_1.bin` ... `test_batch.bin`. */
  cifar10: { dir: true, options: {} },
  /** CIFAR-100's binary version: `train.bin`, `test.bin`, with fine (100) or coarse (20) labels. */
  cifar100: {
    dir: true,
    options: { labels: oneOf(['fine', 'coarse'], 'label set').default('fine') },
  },
  /** MNIST's four IDX files, gzipped or not. */
  mnist: { dir: true, options: {} },
  /** Fashion-MNIST's four IDX files, gzipped or not. */
  'fashion-mnist': { dir: true, options: {} },
  /** One subfolder of JPEG/PNG images per class, scaled to `size` x `size`. */
  folder: {
    dir: true,
    // 1024 is three times NASNet-Large's 331x331 input; the network's image size allows no more.
    options: { size: integer(1, 1024, 'image side in pixels').default(32) },
  },
} as const satisfies Record<string, DatasetKindRule>);

type KindTable = typeof DATASET_KIND_TABLE;

/** The kinds of dataset a spec can name. */
export type DatasetKind = keyof KindTable;

/** Flattens an intersection into one object type, so editors show a spec's fields plainly. */
type Flat<T> = { readonly [P in keyof T]: T[P] };

/** The spec of every kind: its `kind`, its folder when the table says it has one, and every option. */
type DatasetSpecs = {
  [K in DatasetKind]: Flat<
    { kind: K } & (KindTable[K]['dir'] extends true ? { dir: string } : unknown) & {
        [O in keyof KindTable[K]['options']]: z.output<KindTable[K]['options'][O]>;
      }
  >;
};

/** The spec of one kind, e.g. `{ kind: 'cifar100', dir: string, labels: 'fine' | 'coarse' }`. */
export type DatasetSpecOf<K extends DatasetKind> = DatasetSpecs[K];

/** A dataset to load: the built-in synthetic one, or files in a folder in a known format. */
export type DatasetSpec = DatasetSpecs[DatasetKind];

/** Every kind, in table order. */
export const DATASET_KINDS: readonly DatasetKind[] = Object.freeze(
  Object.keys(DATASET_KIND_TABLE).filter(isKind),
);

function isKind(name: string): name is DatasetKind {
  return Object.hasOwn(DATASET_KIND_TABLE, name);
}

function ruleOf(kind: DatasetKind): DatasetKindRule {
  return DATASET_KIND_TABLE[kind];
}

/** The options of each kind as `--help` and the parser see them: number or choice, range, default. */
const OPTION_INFO = new Map(
  Object.entries(DATASET_KIND_TABLE).map(([kind, rule]) => [
    kind,
    fieldInfo(z.object(rule.options)),
  ]),
);

function optionInfo(kind: DatasetKind): readonly FieldInfo[] {
  return OPTION_INFO.get(kind) ?? [];
}

function formOf(kind: DatasetKind): string {
  const options = optionInfo(kind).map(
    (o) => `${o.key}=${o.kind === 'number' ? 'N' : (o.values ?? []).join('|')}`,
  );
  const list = options.join(',');
  if (!ruleOf(kind).dir) return options.length === 0 ? kind : `${kind}[:${list}]`;
  return `${kind}:<dir>${options.length === 0 ? '' : `[,${list}]`}`;
}

/** The accepted forms, one per kind, for error messages and `--help`. */
export const DATASET_SPEC_FORMS: readonly string[] = Object.freeze(DATASET_KINDS.map(formOf));

/** Longest piece of a spec quoted in an error's heading (the wire allows long strings). */
const QUOTE_LIMIT = 80;

/**
 * Parses a dataset spec: `kind`, then `:` and the folder for kinds that read one, then
 * `name=value` options separated by commas, in any order, each at most once; absent options take
 * the table's defaults. Options follow the folder, so a folder's own name must not end in
 * `,name=value`. The folder is kept as written (relative or absolute). Throws
 * InvalidValueError('dataset spec "..."') listing every problem with its path (`kind`, `dir`,
 * `classes`, ...), the allowed forms for an unknown kind.
 */
export function parseDatasetSpec(spec: string): DatasetSpec {
  // A trainer parses the same few specs for every trial; parsed specs are deep-frozen, so shared.
  const known = PARSED.get(spec);
  if (known !== undefined) return known;
  const parsed = parseSpecText(spec);
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(spec, parsed);
  return parsed;
}

/** Specs parsed so far, by their text (at most {@link PARSED_LIMIT}, then forgotten at once). */
const PARSED = new Map<string, DatasetSpec>();
const PARSED_LIMIT = 256;

function parseSpecText(spec: string): DatasetSpec {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1);
  const allowed = `allowed: ${DATASET_SPEC_FORMS.join(', ')}`;
  if (trimmed === '')
    throw invalid(spec, [{ path: '', message: `empty dataset spec; ${allowed}` }]);
  if (!isKind(kind)) {
    const hint = didYouMean(kind, DATASET_KINDS);
    const message = `unknown dataset kind ${JSON.stringify(kind)}${hint}; ${allowed}`;
    throw invalid(spec, [{ path: 'kind', message }]);
  }
  const violations: Violation[] = [];
  const { dir, pairs } = splitDirAndOptions(rest, ruleOf(kind).dir);
  if (ruleOf(kind).dir && dir === '')
    violations.push({ path: 'dir', message: `${kind} needs a folder: ${formOf(kind)}` });
  const options = parseOptions(kind, pairs, violations);
  if (violations.length > 0) throw invalid(spec, violations);
  const folder = ruleOf(kind).dir ? { dir } : {};
  // Built from the table entry of `kind`, which is exactly what DatasetSpecOf<kind> is derived from.
  return deepFreeze({ kind, ...folder, ...options } as DatasetSpec);
}

function invalid(spec: string, violations: readonly Violation[]): InvalidValueError {
  const shown = spec.length > QUOTE_LIMIT ? `${spec.slice(0, QUOTE_LIMIT)}...` : spec;
  return new InvalidValueError(`dataset spec ${JSON.stringify(shown)}`, violations);
}

/** `name=value`: an option, as opposed to a piece of a folder's name. */
const OPTION = /^[a-z][a-z0-9-]*=[^=]*$/;

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

/** Every option's value, in table order: the given ones checked by their schema, the rest defaulted. */
function parseOptions(
  kind: DatasetKind,
  pairs: readonly string[],
  violations: Violation[],
): Record<string, unknown> {
  const { options } = ruleOf(kind);
  const info = optionInfo(kind);
  const values = new Map<string, unknown>();
  const seen = new Set<string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    const option = info.find((o) => o.key === name);
    const schema = options[name];
    if (option === undefined || schema === undefined) {
      violations.push({ path: name, message: unknownOption(kind, name) });
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
    info.map(({ key, default: fallback }) => [key, values.has(key) ? values.get(key) : fallback]),
  );
}

function unknownOption(kind: DatasetKind, name: string): string {
  const names = Object.keys(ruleOf(kind).options);
  const none = ruleOf(kind).dir ? 'no options' : 'no folder and no options (it is built in)';
  const list = names.length === 0 ? `${kind} takes ${none}` : `allowed: ${names.join(', ')}`;
  return `unknown option ${JSON.stringify(name)} for ${kind}${didYouMean(name, names)}; ${list}`;
}

/**
 * The canonical string of a spec: the folder as written, then every option in table order. It keys
 * the trainer's dataset cache, travels on the wire, and parses back to `spec`.
 */
export function formatDatasetSpec(spec: DatasetSpec): string {
  const values: Readonly<Record<string, unknown>> = spec;
  const options = Object.keys(ruleOf(spec.kind).options).map(
    (name) => `${name}=${String(values[name])}`,
  );
  const parts = 'dir' in spec ? [spec.dir, ...options] : options;
  return parts.length === 0 ? spec.kind : `${spec.kind}:${parts.join(',')}`;
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

/**
 * The schema of a dataset spec, yielding the typed spec: its string (the CLI, the wire) or its JSON
 * form (a stored request or settings). Composed into the trial request and search settings schemas,
 * its violations appear under their field (`dataset.classes`).
 */
export const DATASET_SPEC_SCHEMA: z.ZodType<DatasetSpec, unknown> = parsedBy((value) => {
  if (typeof value === 'string') return parseDatasetSpec(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return parseDatasetSpec(textOfObject(value));
  const message = `expected a dataset spec (${DATASET_SPEC_FORMS.join(', ')}), got ${describe(value)}`;
  throw new InvalidValueError('dataset spec', [{ path: '', message }]);
}).describe(`a dataset spec; one of ${DATASET_SPEC_FORMS.join(', ')}`);
