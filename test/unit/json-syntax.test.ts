/**
 * The JSON syntax scanner that locates a file's first syntax error without quoting it: it agrees
 * with JSON.parse on what is valid, and its position points where the text goes wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../shared/json-syntax.ts';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Texts near JSON: JSON's own characters in any order, JSON cut short or with a character changed. */
const nearJsonArb = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...'{}[],:"\\ \t\n01-.eE+truefalsn/bu9A\u0001'),
    maxLength: 24,
  }),
  fc.json(),
  fc.string(),
  fc.json().chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))),
  fc
    .tuple(fc.json(), fc.nat(), fc.constantFrom('x', ',', '"', '}', ']', ':', '\\'))
    .map(([s, n, c]) => s.slice(0, n % (s.length + 1)) + c + s.slice((n % (s.length + 1)) + 1)),
);

describe('findJsonSyntaxError', () => {
  it('finds an error exactly when JSON.parse throws', () => {
    fc.assert(
      fc.property(nearJsonArb, (text) => {
        expect(findJsonSyntaxError(text) === null).toBe(parses(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives the line and column of the first wrong character', () => {
    expect(findJsonSyntaxError('root:x:0:0')).toEqual({
      offset: 0,
      line: 1,
      column: 1,
      reason: 'unexpected character where a value should start',
    });
    expect(findJsonSyntaxError('{\n  "a": tru}')).toMatchObject({ line: 2, column: 8 });
    expect(findJsonSyntaxError('{"a": 1,}')).toMatchObject({
      column: 9,
      reason: 'expected a double-quoted property name',
    });
    expect(findJsonSyntaxError('[1, 2')).toMatchObject({ reason: 'unexpected end of input' });
    expect(findJsonSyntaxError('{} x')).toMatchObject({ column: 4 });
  });

  it('scans deep nesting without overflowing the stack', () => {
    expect(findJsonSyntaxError('['.repeat(200_000))).toMatchObject({ offset: 200_000 });
  });
});
