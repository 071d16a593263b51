/**
 * Typed reads of a tfjs layer's config (the `config` of a layer in model.json's modelTopology), one
 * function per kind of field; a missing or odd value is an error naming the layer, the field, the
 * value and what is allowed.
 */
import { UnsupportedError } from '../../shared/errors.ts';

/** One layer of a tfjs topology: its name (for messages) and config. */
export interface TfjsLayer {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

function field(l: TfjsLayer, key: string, what: string, ok: (v: unknown) => boolean): unknown {
  const v = l.config[key];
  if (!ok(v)) {
    throw new UnsupportedError(
      `layer ${l.name}: config.${key} is ${JSON.stringify(v)}; expected ${what}`,
    );
  }
  return v;
}

/** Field `key`: an integer. */
export function int(l: TfjsLayer, key: string): number {
  return Number(field(l, key, 'an integer', (v) => Number.isSafeInteger(v)));
}

/** Field `key`: a finite number. */
export function num(l: TfjsLayer, key: string): number {
  return Number(field(l, key, 'a number', (v) => typeof v === 'number' && Number.isFinite(v)));
}

/** Field `key`: true or false. */
export function flag(l: TfjsLayer, key: string): boolean {
  return field(l, key, 'true or false', (v) => typeof v === 'boolean') === true;
}

/** Field `key`: a lower-case name (an activation). */
export function text(l: TfjsLayer, key: string): string {
  return String(field(l, key, 'a name', (v) => typeof v === 'string' && /^[a-z_]+$/.test(v)));
}

/** Field `padding`: `same` or `valid`. */
export function padding(l: TfjsLayer): 'same' | 'valid' {
  return field(l, 'padding', '"same" or "valid"', (v) => v === 'same' || v === 'valid') === 'same'
    ? 'same'
    : 'valid';
}

/** Field `data_format`: channels_last (tfjs writes nothing else), or absent. */
export function channelsLast(l: TfjsLayer): 'channels_last' {
  field(l, 'data_format', '"channels_last"', (v) => v === undefined || v === 'channels_last');
  return 'channels_last';
}

function isInts(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((d) => Number.isSafeInteger(d));
}

/** Field `key`: two integers (or one, for both). */
export function pair(l: TfjsLayer, key: string): [number, number] {
  const v = field(l, key, 'two integers', (x) => isInts(x, 2) || Number.isSafeInteger(x));
  return isInts(v, 2) ? [v[0] ?? 0, v[1] ?? 0] : [Number(v), Number(v)];
}

/** Field `key`: `[[top, bottom], [left, right]]`. */
export function pads(l: TfjsLayer, key: string): number[][] {
  const v = field(
    l,
    key,
    '[[top, bottom], [left, right]]',
    (x) => Array.isArray(x) && x.length === 2 && x.every((p) => isInts(p, 2)),
  );
  return Array.isArray(v) ? v.map((p: unknown) => (isInts(p, 2) ? [...p] : [])) : [];
}

/** Field `key`: a shape, `null` for an unknown dimension. */
export function shape(l: TfjsLayer, key: string): readonly (number | null)[] {
  const v = field(
    l,
    key,
    'a shape',
    (x) => Array.isArray(x) && x.every((d) => d === null || Number.isSafeInteger(d)),
  );
  return Array.isArray(v) ? v.map((d: unknown) => (typeof d === 'number' ? d : null)) : [];
}
