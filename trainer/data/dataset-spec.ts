/**
 * Dataset specs: what the CLI's `--dataset` flag names, parsed once into a typed value whose
 * canonical string ({@link formatDatasetSpec}) keys the per-process dataset cache.
 */
import { resolve } from 'node:path';
import { assertNever } from '../../shared/ops.ts';
import type { Violation } from '../../shared/errors.ts';
import { InvalidDatasetSpecError } from './errors.ts';

/** A dataset to load: the built-in synthetic one, or files in a folder in a known format. */
export type DatasetSpec =
  | {
      readonly kind: 'synthetic';
      readonly classes: number;
      readonly size: number;
      readonly train: number;
      readonly test: number;
      readonly seed: number;
    }
  | { readonly kind: 'cifar10'; readonly dir: string }
  | { readonly kind: 'cifar100'; readonly dir: string; readonly labels: 'fine' | 'coarse' }
  | { readonly kind: 'mnist'; readonly dir: string }
  | { readonly kind: 'fashion-mnist'; readonly dir: string }
  | { readonly kind: 'folder'; readonly dir: string; readonly size: number };

/** The kinds of dataset a spec can name. */
export type DatasetKind = DatasetSpec['kind'];

/** Every kind, in the order `--help` lists them. */
export const DATASET_KINDS = [
  'synthetic',
  'cifar10',
  'cifar100',
  'mnist',
  'fashion-mnist',
  'folder',
] as const satisfies readonly DatasetKind[];

type OptionRule =
  | { readonly type: 'int'; readonly min: number; readonly max: number; readonly default: number }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly default: string };

interface KindRule {
  readonly dir: boolean;
  readonly options: Readonly<Record<string, OptionRule>>;
}

const int = (min: number, max: number, def: number): OptionRule => ({
  type: 'int',
  min,
  max,
  default: def,
});

/** Every kind, whether it takes a folder, and its options with their ranges and defaults. */
const KINDS: Readonly<Record<DatasetKind, KindRule>> = {
  synthetic: {
    dir: false,
    options: {
      classes: int(2, 1000, 10),
      size: int(8, 512, 32),
      train: int(1, 1_000_000, 5000),
      test: int(0, 1_000_000, 1000),
      seed: int(0, 2 ** 32 - 1, 0),
    },
  },
  cifar10: { dir: true, options: {} },
  cifar100: {
    dir: true,
    options: { labels: { type: 'enum', values: ['fine', 'coarse'], default: 'fine' } },
  },
  mnist: { dir: true, options: {} },
  'fashion-mnist': { dir: true, options: {} },
  folder: { dir: true, options: { size: int(1, 1024, 32) } },
};

/** The accepted forms, for error messages and `--help`. */
export const DATASET_SPEC_FORMS: readonly string[] = DATASET_KINDS.map((kind) => {
  const { dir, options } = KINDS[kind];
  const opts = Object.entries(options).map(
    ([k, r]) => `${k}=${r.type === 'int' ? 'N' : r.values.join('|')}`,
  );
  if (!dir) return opts.length === 0 ? kind : `${kind}[:${opts.join(',')}]`;
  return `${kind}:<dir>${opts.length === 0 ? '' : `[,${opts.join(',')}]`}`;
});

const isKind = (s: string): s is DatasetKind => DATASET_KINDS.some((k) => k === s);

/**
 * Parses a `--dataset` value. Forms: `synthetic[:classes=N,size=N,train=N,test=N,seed=N]` (defaults
 * 10 classes of 32x32x3, 5000 train, 1000 test, seed 0; test=0 means no test split), `cifar10:<dir>`,
 * `cifar100:<dir>[,labels=fine|coarse]` (default fine), `mnist:<dir>`, `fashion-mnist:<dir>`,
 * `folder:<dir>[,size=N]` (default 32). Options follow the folder after commas, so the folder's own
 * name must not end in `,name=value`; the folder is resolved to an absolute path. Throws
 * {@link InvalidDatasetSpecError} listing every problem and the allowed forms.
 */
export function parseDatasetSpec(text: string): DatasetSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1);
  if (!isKind(kind)) {
    const message = `unknown dataset kind "${kind}"; allowed: ${DATASET_SPEC_FORMS.join(', ')}`;
    throw new InvalidDatasetSpecError(text, [{ path: '', message }]);
  }
  const rule = KINDS[kind];
  const violations: Violation[] = [];
  const { dir, pairs } = splitDirAndOptions(rest, rule.dir);
  if (rule.dir && dir === '') {
    violations.push({ path: 'dir', message: `${kind} needs a folder: ${kind}:<dir>` });
  }
  const values = parseOptions(kind, rule, pairs, violations);
  if (violations.length > 0) throw new InvalidDatasetSpecError(text, violations);
  return buildSpec(kind, resolve(dir), values);
}

/** Separates `<dir>,a=1,b=2` into the folder and its trailing `name=value` options. */
function splitDirAndOptions(rest: string, hasDir: boolean): { dir: string; pairs: string[] } {
  if (!hasDir) return { dir: '', pairs: rest === '' ? [] : rest.split(',') };
  const parts = rest.split(',');
  const pairs: string[] = [];
  while (parts.length > 1 && /^[a-z-]+=[^=]*$/.test(parts[parts.length - 1] ?? '')) {
    pairs.unshift(parts.pop() ?? '');
  }
  return { dir: parts.join(','), pairs };
}

function parseOptions(
  kind: DatasetKind,
  rule: KindRule,
  pairs: readonly string[],
  violations: Violation[],
): Map<string, number | string> {
  const values = new Map<string, number | string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    const option = Object.hasOwn(rule.options, name) ? rule.options[name] : undefined;
    if (option === undefined) {
      const allowed = Object.keys(rule.options);
      const list =
        allowed.length === 0 ? `${kind} takes no options` : `allowed: ${allowed.join(', ')}`;
      violations.push({ path: name, message: `unknown option "${pair}" for ${kind}; ${list}` });
    } else if (values.has(name)) {
      violations.push({ path: name, message: `option "${name}" is given twice` });
    } else {
      const value = parseValue(name, raw, option, violations);
      if (value !== undefined) values.set(name, value);
    }
  }
  for (const [name, option] of Object.entries(rule.options)) {
    if (!values.has(name)) values.set(name, option.default);
  }
  return values;
}

function parseValue(
  name: string,
  raw: string,
  rule: OptionRule,
  violations: Violation[],
): number | string | undefined {
  if (rule.type === 'enum') {
    if (rule.values.includes(raw)) return raw;
    violations.push({
      path: name,
      message: `${name} "${raw}" is not allowed; allowed: ${rule.values.join(', ')}`,
    });
    return undefined;
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (Number.isSafeInteger(n) && n >= rule.min && n <= rule.max) return n;
  violations.push({
    path: name,
    message: `${name} "${raw}" is not an integer in ${rule.min}..${rule.max}`,
  });
  return undefined;
}

function buildSpec(
  kind: DatasetKind,
  dir: string,
  values: ReadonlyMap<string, number | string>,
): DatasetSpec {
  const num = (name: string): number => Number(values.get(name));
  switch (kind) {
    case 'synthetic':
      return {
        kind,
        classes: num('classes'),
        size: num('size'),
        train: num('train'),
        test: num('test'),
        seed: num('seed'),
      };
    case 'cifar100':
      return { kind, dir, labels: values.get('labels') === 'coarse' ? 'coarse' : 'fine' };
    case 'folder':
      return { kind, dir, size: num('size') };
    case 'cifar10':
    case 'mnist':
    case 'fashion-mnist':
      return { kind, dir };
    default:
      return assertNever(kind, 'dataset kind');
  }
}

/** The canonical string of a spec: every option spelled out, in a fixed order; it parses back to `spec`. */
export function formatDatasetSpec(spec: DatasetSpec): string {
  switch (spec.kind) {
    case 'synthetic':
      return `synthetic:classes=${spec.classes},size=${spec.size},train=${spec.train},test=${spec.test},seed=${spec.seed}`;
    case 'cifar100':
      return `cifar100:${spec.dir},labels=${spec.labels}`;
    case 'folder':
      return `folder:${spec.dir},size=${spec.size}`;
    case 'cifar10':
    case 'mnist':
    case 'fashion-mnist':
      return `${spec.kind}:${spec.dir}`;
    default:
      return assertNever(spec, 'dataset spec');
  }
}
