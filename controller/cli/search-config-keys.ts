/**
 * The keys a `nas-ctl search --config` file may hold, derived from the search command's own
 * options (no second list): each key is a flag's commander attribute (`--steps-per-epoch` ->
 * `stepsPerEpoch`), and its value is checked as the flag's text is (choices, parsers) and then
 * against the settings field the flag sets, so a bad value is named by its key in the file.
 */
import type { Command, Option } from 'commander';
import { z } from 'zod';
import { describe, violationsOf } from '../../shared/schema.ts';
import { TRAINING_SETTINGS_SCHEMA } from '../../shared/training-settings.ts';
import { settingFieldOf } from './search-flags.ts';

/** One key of a config file: the flag it stands for and the schema its value must pass. */
export interface ConfigKey {
  readonly flag: string;
  readonly attribute: string;
  /** Checks a file's value and turns it into what commander would hand the action. */
  readonly schema: z.ZodType;
}

/** Flags a config file cannot hold: the file itself, help, and `--resume` (a run's own settings). */
const NOT_KEYS = new Set(['config', 'help', 'resume']);

const TRAINING_FIELDS: Readonly<Record<string, z.ZodType>> = TRAINING_SETTINGS_SCHEMA.shape;

/** The keys of `command`'s options, by attribute; `fieldOf` names further settings fields. */
export function configKeys(
  command: Command,
  fieldOf: (attribute: string) => z.ZodType | undefined = () => undefined,
): Map<string, ConfigKey> {
  const keys = new Map<string, ConfigKey>();
  for (const option of command.options) {
    const attribute = option.attributeName();
    if (NOT_KEYS.has(attribute) || keys.has(attribute)) continue;
    const field =
      settingFieldOf(attribute) ??
      (Object.hasOwn(TRAINING_FIELDS, attribute) ? TRAINING_FIELDS[attribute] : undefined) ??
      fieldOf(attribute);
    const flag = option.long ?? `--${attribute}`;
    keys.set(attribute, { flag, attribute, schema: valueSchema(option, field) });
  }
  return keys;
}

/** Whether an option takes no value (`--json`, `--no-augment-crop`). */
export function isSwitch(option: Option): boolean {
  return !option.required && !option.optional;
}

/** The schema of one option's value in a file: as its flag's text would be read, then its field. */
function valueSchema(option: Option, field: z.ZodType | undefined): z.ZodType {
  if (isSwitch(option)) {
    return z.unknown().superRefine((value, ctx) => {
      if (typeof value !== 'boolean')
        ctx.addIssue({ code: 'custom', message: `expected true or false, got ${describe(value)}` });
    });
  }
  const choices = option.argChoices;
  return z.unknown().transform((value, ctx) => {
    // `--dashboard [port]` given alone is `true`.
    if (option.optional && value === true) return true;
    const text = textOf(value);
    if (text === null) {
      const what = choices === undefined ? 'a string or a number' : `one of ${choices.join(', ')}`;
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${describe(value)}` });
      return z.NEVER;
    }
    if (choices !== undefined && !choices.includes(text)) {
      const message = `expected one of ${choices.join(', ')}, got ${describe(value)}`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    let parsed: unknown = text;
    try {
      if (option.parseArg !== undefined) parsed = option.parseArg(text, undefined);
    } catch (err) {
      // The flag's parser names the flag (`--time: expected ...`); the file's key names it here.
      const message = err instanceof Error ? err.message : String(err);
      const prefix = `${option.long ?? ''}: `;
      const own = message.startsWith(prefix) ? message.slice(prefix.length) : message;
      ctx.addIssue({ code: 'custom', message: own });
      return z.NEVER;
    }
    const checked = field?.safeParse(parsed, { reportInput: true });
    for (const v of checked?.success === false ? violationsOf(checked.error) : [])
      ctx.addIssue({ code: 'custom', message: v.message, path: v.path === '' ? [] : [v.path] });
    return parsed;
  });
}

/** A value as the command line would give it: the text of a string, finite number or null. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return value === null ? 'null' : null;
}
