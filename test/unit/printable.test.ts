/** `printable`: no control character survives it, it changes nothing else, and applying it twice is applying it once. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable, printableJson } from '../../shared/printable.ts';

/** The dashboard page's copy (plain browser JavaScript, outside the TypeScript project). */
const PAGE_FORMAT = new URL('../../controller/dashboard/page/format.js', import.meta.url).href;

async function pagePrintable(): Promise<(text: string) => string> {
  const page: unknown = await import(PAGE_FORMAT);
  if (typeof page !== 'object' || page === null || !('printable' in page))
    throw new Error('no printable');
  const fn = page.printable;
  if (typeof fn !== 'function') throw new Error('printable is not a function');
  return (text) => String(Reflect.apply(fn, undefined, [text]));
}

/** Every control {@link printable} must neutralise: C0, DEL, C1, bidi overrides and isolates. */
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

const controlChar = fc
  .oneof(
    fc.integer({ min: 0x00, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.integer({ min: 0x202a, max: 0x202e }),
    fc.integer({ min: 0x2066, max: 0x2069 }),
  )
  .map((code) => String.fromCodePoint(code));

/** Text mixing ordinary characters (any Unicode) with controls. */
const hostileText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), controlChar))
  .map((parts) => parts.join(''));

describe('printable', () => {
  it('leaves no control character and is idempotent', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const shown = printable(text);
        expect(shown).not.toMatch(CONTROL);
        expect(printable(shown)).toBe(shown);
      }),
    );
  });

  it('leaves text without controls as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        fc.pre(!CONTROL.test(text));
        expect(printable(text)).toBe(text);
      }),
    );
  });

  it('keeps LF, and only LF, when asked', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const shown = printable(text, { keepNewlines: true });
        expect(shown.split('\n')).toEqual(text.split('\n').map((line) => printable(line)));
      }),
    );
  });

  it('writes each control as a visible escape', () => {
    expect(printable('\u001b]0;PWNED\u0007\u001b[2J')).toBe('\\x1b]0;PWNED\\x07\\x1b[2J');
    expect(printable('a\tb\nc\rd\u007f\u009b\u202e\u2069')).toBe(
      'a\\tb\\nc\\rd\\x7f\\x9b\\u202e\\u2069',
    );
  });
});

describe("the dashboard page's printable", () => {
  it('is the shared one keeping newlines', async () => {
    const onPage = await pagePrintable();
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(onPage(text)).toBe(printable(text, { keepNewlines: true }));
      }),
    );
  });
});

describe('printableJson', () => {
  it('holds no raw control and parses to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostileText, (value, text) => {
        const json = printableJson(JSON.stringify({ value, text }, null, 2));
        expect(json.replace(/\n/g, '')).not.toMatch(CONTROL);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
      }),
    );
  });
});
