/**
 * The building blocks every settings schema is made of (zod), and the one function that turns a
 * failed parse into an {@link InvalidValueError}. Each builder words its own message, so the same bad
 * value gets the same message, with its path, whether it came from a flag, a file, the wire or the
 * run store.
 */
import { z } from 'zod';
import { InvalidValueError, type Violation } from './errors.ts';

/** The message of a builder: what was expected, then what was given. */
function expected(what: string): (issue: { readonly input?: unknown }) => string {
  return (issue) => `expected ${what}, got ${describe(issue.input)}`;
}

/** An integer in `min..max`; `doc` (what it means) goes into the message. */
export function integer(min: number, max: number, doc?: string): z.ZodNumber {
  const error = expected(`an integer in ${min}..${max}${doc === undefined ? '' : ` (${doc})`}`);
  const schema = z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
  return doc === undefined ? schema : schema.describe(doc);
}

/** A finite number in `min..max` (inclusive unless `open` says which end is excluded). */
export function decimal(
  min: number,
  max: number,
  doc?: string,
  open: { readonly min?: boolean; readonly max?: boolean } = {},
): z.ZodNumber {
  const range = `${min}..${max}`;
  const excluded = [open.min === true ? min : null, open.max === true ? max : null]
    .filter((x) => x !== null)
    .join(' and ');
  const why = excluded === '' ? '' : ` (${excluded} excluded)`;
  const error = expected(`a number in ${range}${why}${doc === undefined ? '' : ` (${doc})`}`);
  const low = open.min === true ? z.number({ error }).gt(min, { error }) : z.number({ error });
  const schema = open.max === true ? low.lt(max, { error }) : low.max(max, { error });
  const bounded = open.min === true ? schema : schema.min(min, { error });
  return doc === undefined ? bounded : bounded.describe(doc);
}

/** A positive integer (a count); `multipleOf` narrows it further. */
export function count(doc?: string, multipleOf?: number): z.ZodNumber {
  const what =
    multipleOf === undefined ? 'a positive integer' : `a positive multiple of ${multipleOf}`;
  const error = expected(`${what}${doc === undefined ? '' : ` (${doc})`}`);
  const schema = z
    .number({ error })
    .int({ error })
    .min(1, { error })
    .max(Number.MAX_SAFE_INTEGER, { error });
  const whole = multipleOf === undefined ? schema : schema.multipleOf(multipleOf, { error });
  return doc === undefined ? whole : whole.describe(doc);
}

/** A finite number above zero. */
export function positive(doc?: string): z.ZodNumber {
  const error = expected(`a positive number${doc === undefined ? '' : ` (${doc})`}`);
  const schema = z.number({ error }).gt(0, { error }).max(Number.MAX_VALUE, { error });
  return doc === undefined ? schema : schema.describe(doc);
}

/** `true` or `false`. */
export function flag(doc?: string): z.ZodBoolean {
  const schema = z.boolean({ error: expected('true or false') });
  return doc === undefined ? schema : schema.describe(doc);
}

/** A non-empty string. */
export function text(doc?: string): z.ZodString {
  const error = expected('a non-empty string');
  const schema = z.string({ error }).min(1, { error });
  return doc === undefined ? schema : schema.describe(doc);
}

/** One of `values`, with a did-you-mean hint for a near miss. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  doc?: string,
): z.ZodEnum<{ [K in T[number]]: K }> {
  const error = (issue: { readonly input?: unknown }): string => {
    const hint = typeof issue.input === 'string' ? didYouMean(issue.input, values) : '';
    return `expected one of ${values.join(', ')}, got ${describe(issue.input)}${hint}`;
  };
  const schema = z.enum(values, { error });
  return doc === undefined ? schema : schema.describe(doc);
}

/** A non-empty list of distinct names taken from `all` (`what` names one: "op", "combine"). */
export function distinctNames<const T extends string>(
  all: readonly T[],
  what: string,
): z.ZodType<readonly T[], unknown> {
  const allowed = `allowed: ${all.join(', ')}`;
  const error = (issue: { readonly input?: unknown }): string =>
    `expected a non-empty list of ${what} names, got ${describe(issue.input)}; ${allowed}`;
  const isName = (v: unknown): v is T => all.some((n) => n === v);
  return z
    .array(z.unknown(), { error })
    .min(1, { error })
    .superRefine((values, ctx) => {
      values.forEach((v, i) => {
        const message = !isName(v)
          ? typeof v === 'string'
            ? `unknown ${what} ${JSON.stringify(v)}${didYouMean(v, all)}; ${allowed}`
            : `expected a string (${what} name), got ${describe(v)}; ${allowed}`
          : values.indexOf(v) !== i
            ? `${what} "${v}" is listed twice`
            : null;
        if (message !== null) ctx.addIssue({ code: 'custom', path: [i], message });
      });
    })
    .transform((values) => values.filter(isName));
}

/** Marks the allowed-field list inside an unrecognized-keys message, for {@link violationsOf}. */
const ALLOWED = 'allowed fields: ';

/** An object with exactly these fields: an unknown field is an error naming the allowed ones. */
export function fields<S extends z.ZodRawShape>(shape: S, what = 'an object'): z.ZodObject<S> {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${ALLOWED}${allowed}`
        : `expected ${what}, got ${describe(issue.input)}`,
  });
}

/**
 * A value checked by a parser of its own that throws {@link InvalidValueError} (the genotype and
 * search-space parsers), as a schema: its violations join the enclosing value's under their paths.
 */
export function parsedBy<T>(parse: (value: unknown) => T): z.ZodType<T, unknown> {
  return z.unknown().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof InvalidValueError)) throw err;
      for (const v of err.violations)
        ctx.addIssue({ code: 'custom', message: v.message, path: v.path === '' ? [] : [v.path] });
      return z.NEVER;
    }
  });
}

/** Parses `value` with `schema`; throws {@link InvalidValueError}(`what`) listing every violation. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return deepFreeze(result.data);
  throw new InvalidValueError(what, violationsOf(result.error));
}

/**
 * The violations of a failed parse, one per problem (one per unknown field), with `a.b[2].c` paths.
 * A value that fails several checks worded as one (`8` for "a multiple of 24 in 24..8064": below
 * the minimum and not a multiple) is one problem, listed once.
 */
export function violationsOf(error: z.ZodError): Violation[] {
  const seen = new Set<string>();
  return allViolations(error).filter((v) => {
    const key = `${v.path}\n${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function allViolations(error: z.ZodError): Violation[] {
  return error.issues.flatMap((issue): Violation[] => {
    const path = formatPath(issue.path);
    if (issue.code !== 'unrecognized_keys') return [{ path, message: cleanMessage(issue) }];
    const allowed = issue.message.startsWith(ALLOWED)
      ? issue.message.slice(ALLOWED.length).split(', ')
      : [];
    return issue.keys.map((key) => ({
      path: joinPath(path, key),
      message: `unexpected field ${JSON.stringify(key)}${didYouMean(key, allowed)}; allowed: ${allowed.join(', ')}`,
    }));
  });
}

/** Zod's own wording for the few issues no builder words (a bare z.object, z.array, ...). */
function cleanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && !issue.message.startsWith('expected ')) {
    return `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  return issue.message;
}

/** `a.b[2].c` from zod's path segments; a segment that is already a path (from {@link parsedBy}) is appended. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, s) => {
    return typeof s === 'number' ? `${path}[${s}]` : joinPath(path, String(s));
  }, '');
}

/** `path.key`, or `path["odd key"]` for a key that is not an identifier (nor a path already). */
export function joinPath(path: string, key: string): string {
  if (key.startsWith('[')) return `${path}${key}`;
  if (!/^[A-Za-z_$][\w$]*([.[].*)?$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Freezes a parsed value and everything in it (settings are immutable once parsed). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/** A short description of a value for messages: its type and, for primitives, the value. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  const primitive = typeof value === 'number' || typeof value === 'boolean';
  return primitive || typeof value === 'bigint' ? `${typeof value} ${String(value)}` : typeof value;
}

/** ` (did you mean "x"?)` for the allowed name closest to `name` (edit distance <= 2), else ''. */
export function didYouMean(name: string, allowed: readonly string[]): string {
  let best = '';
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best === '' ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
