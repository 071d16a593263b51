/**
 * Where a text stops being JSON, and why, in words that never quote the text: an error about a
 * file that is not JSON must not echo its bytes (it may be a secret the user pointed at by mistake).
 * `JSON.parse` quotes the text in some of its messages and gives no position in them, so this
 * scanner follows the JSON grammar (RFC 8259) itself; it agrees with `JSON.parse` on what is valid.
 */

/** The first syntax error of a text: its offset (UTF-16 units), 1-based line and column, and what was expected. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/** What the scanner expects next. */
type Expect = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'after-value';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const LITERALS = ['true', 'false', 'null'] as const;

/** The first syntax error of `text`, or null when `JSON.parse(text)` succeeds. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const found = scan(text);
  if (found === null) return null;
  const before = text.slice(0, found.offset);
  const line = before.split('\n').length;
  const column = found.offset - (before.lastIndexOf('\n') + 1) + 1;
  return { offset: found.offset, line, column, reason: found.reason };
}

interface Failure {
  readonly offset: number;
  readonly reason: string;
}

/** Scans iteratively (a stack of open containers), so deep nesting cannot overflow the call stack. */
function scan(text: string): Failure | null {
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && WHITESPACE.has(text.charAt(i))) i++;
    if (i >= text.length) {
      const done = expect === 'after-value' && stack.length === 0;
      return done ? null : { offset: i, reason: 'unexpected end of input' };
    }
    const c = text.charAt(i);
    const close = stack.at(-1) === '{' ? '}' : ']';
    if ((expect === 'value-or-end' && c === ']') || (expect === 'key-or-end' && c === '}')) {
      stack.pop();
      [i, expect] = [i + 1, 'after-value'];
    } else if (expect === 'value' || expect === 'value-or-end') {
      if (c === '{' || c === '[') {
        stack.push(c);
        [i, expect] = [i + 1, c === '{' ? 'key-or-end' : 'value-or-end'];
        continue;
      }
      const end = scanScalar(text, i);
      if (typeof end !== 'number') return end;
      [i, expect] = [end, 'after-value'];
    } else if (expect === 'key' || expect === 'key-or-end') {
      if (c !== '"') return { offset: i, reason: 'expected a double-quoted property name' };
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      while (i < text.length && WHITESPACE.has(text.charAt(i))) i++;
      if (text.charAt(i) !== ':')
        return { offset: i, reason: "expected ':' after a property name" };
      [i, expect] = [i + 1, 'value'];
    } else if (stack.length === 0) {
      return { offset: i, reason: 'unexpected character after the JSON value' };
    } else if (c === ',') {
      [i, expect] = [i + 1, close === '}' ? 'key' : 'value'];
    } else if (c === close) {
      stack.pop();
      i++;
    } else {
      return { offset: i, reason: `expected ',' or '${close}'` };
    }
  }
}

/** Scans a string, number or literal starting at `i`: the offset after it, or the failure. */
function scanScalar(text: string, i: number): number | Failure {
  if (text.charAt(i) === '"') return scanString(text, i);
  NUMBER.lastIndex = i;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  const literal = LITERALS.find((l) => text.startsWith(l, i));
  if (literal !== undefined) return i + literal.length;
  return { offset: i, reason: 'unexpected character where a value should start' };
}

/** Scans the string whose opening quote is at `start`: the offset after its closing quote, or the failure. */
function scanString(text: string, start: number): number | Failure {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return i + 1;
    if (c < ' ') return { offset: i, reason: 'control character in a string' };
    if (c !== '\\') {
      i++;
      continue;
    }
    const escaped = text.charAt(i + 1);
    HEX4.lastIndex = i + 2;
    if (ESCAPES.has(escaped)) i += 2;
    else if (escaped === 'u' && HEX4.test(text)) i += 6;
    else return { offset: i, reason: 'bad escape in a string' };
  }
  return { offset: start, reason: 'unterminated string' };
}
