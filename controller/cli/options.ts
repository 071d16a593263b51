/** Option parsers for commander: each turns one flag's text into a typed value or a one-line error naming the flag. */
import { InvalidArgumentError } from 'commander';
import { SEARCH_SPACES, type SearchSpace } from '../../shared/search-space.ts';

/** Parses a positive integer flag value. */
export function positiveInt(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  }
  return n;
}

/** Parses a non-negative integer flag value (seeds). */
export function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a non-negative integer, got "${text}"`);
  }
  return n;
}

/** Parses a search-space name. */
export function searchSpaceOption(text: string): SearchSpace {
  const space = Object.hasOwn(SEARCH_SPACES, text) ? SEARCH_SPACES[text] : undefined;
  if (space === undefined) {
    throw new InvalidArgumentError(
      `unknown search space "${text}"; allowed: ${Object.keys(SEARCH_SPACES).join(', ')}`,
    );
  }
  return space;
}

/** A parser accepting exactly one of `allowed`. */
export function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text: string): T => {
    const match = allowed.find((a) => a === text);
    if (match === undefined)
      throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}, got "${text}"`);
    return match;
  };
}

/** `runs/<prefix>-YYYYMMDD-HHMMSS` for the current time (UTC): the default output folder of a command. */
export function timestampedRunDir(prefix: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/${prefix}-${stamp}`;
}
