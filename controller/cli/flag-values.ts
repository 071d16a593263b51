/** How a generated flag is named, how its text becomes a value for the settings schemas to check, and its error. */
import { CellsearchError } from '../../shared/errors.ts';

/** Flags that do not go together (a strategy's option with another strategy, settings with --resume). */
export class FlagConflictError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** `batchSize` -> `batch-size`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * A number when the text is one, null for `null`; else the text itself, so the settings schema
 * names it in its error (`got string "many"`).
 */
export function numberOrText(text: string): number | string | null {
  if (text.trim() === 'null') return null;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}
