/** What `--help` and generated flags read from a settings schema: each field's kind, meaning and default. */
import { z } from 'zod';

/** What `--help` and generated flags need to know about one field of an object schema. */
export interface FieldInfo {
  readonly key: string;
  readonly kind: 'boolean' | 'number' | 'choice' | 'other';
  readonly doc: string;
  /** The default, when the field has one. */
  readonly default?: unknown;
  /** The allowed values of a choice. */
  readonly values?: readonly string[];
  /** The range of a number, and whether it must be an integer. */
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** The fields of an object schema with their kinds, meanings and defaults, in declaration order. */
export function fieldInfo(schema: z.ZodObject): FieldInfo[] {
  const shape: Readonly<Record<string, z.core.$ZodType>> = schema.shape;
  return Object.entries(shape).map(([key, field]) => {
    let inner = field;
    let fallback: { readonly default?: unknown } = {};
    let doc = '';
    for (;;) {
      if (doc === '' && inner instanceof z.ZodType) doc = inner.description ?? '';
      if (inner instanceof z.ZodDefault) fallback = { default: inner.def.defaultValue };
      if (
        inner instanceof z.ZodDefault ||
        inner instanceof z.ZodOptional ||
        inner instanceof z.ZodNullable
      )
        inner = inner.unwrap();
      else break;
    }
    if (doc === '' && inner instanceof z.ZodType) doc = inner.description ?? '';
    if (inner instanceof z.ZodBoolean) return { key, kind: 'boolean', doc, ...fallback };
    if (inner instanceof z.ZodNumber) {
      const range = { min: inner.minValue ?? -Infinity, max: inner.maxValue ?? Infinity };
      return { key, kind: 'number', doc, ...range, integer: inner.isInt, ...fallback };
    }
    if (inner instanceof z.ZodEnum) {
      return { key, kind: 'choice', doc, values: inner.options.map(String), ...fallback };
    }
    return { key, kind: 'other', doc, ...fallback };
  });
}
