/** Parses durations such as `90s`, `30m`, `2h` or `1h30m` into milliseconds. */
import { InvalidArgumentError } from 'commander';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** The longest delay a Node timer takes, in ms; a longer one fires at once. */
const MAX_MS = 2 ** 31 - 1;

/** Milliseconds of a duration like `30m`; throws a one-line error naming `flag` for anything else. */
export function parseDuration(text: string, flag = '--time'): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)([smh])/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || joined !== text.trim()) {
    throw new InvalidArgumentError(
      `${flag}: expected a duration such as 90s, 30m, 2h or 1h30m, got "${text}"`,
    );
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 's'] ?? 1_000), 0);
  if (ms > MAX_MS) {
    throw new InvalidArgumentError(`${flag}: expected a duration of at most 596h, got "${text}"`);
  }
  return ms;
}
