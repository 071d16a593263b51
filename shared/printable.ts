/**
 * The one place text from outside (trainers' reasons and addresses, run directories, genotype
 * files, dataset specs, stored settings) is made safe to show: every character a terminal, a
 * spreadsheet or a text viewer would act on instead of print is written as a visible escape.
 *
 * Neutralised: the C0 controls U+0000–U+001F (ESC starts terminal sequences: `ESC ]0;…BEL` retitles
 * a terminal, `ESC [2J` clears it), DEL U+007F, the C1 controls U+0080–U+009F (U+009B is an 8-bit
 * CSI) and the bidirectional overrides and isolates U+202A–U+202E and U+2066–U+2069, which reorder
 * what follows them on screen. Tab, LF and CR are included by default: most fields are one line
 * each, so a newline from outside cannot start a fake line of its own (CR would overwrite the
 * line on a terminal). Callers that want whitespace collapsed (a multi-line reason shown on one
 * line) collapse it first; where a format holds multi-line text (a quoted CSV field, the
 * dashboard's DOM), `keepNewlines` keeps LF and only LF.
 *
 * The escapes are the familiar source forms: `\t`, `\n`, `\r`, `\xHH` for other C0, DEL and C1
 * controls (`\x1b`), and `\uHHHH` for the bidi controls (`\u202e`). They contain no control, so
 * the function is idempotent and leaves text without controls exactly as it was.
 */

/** Every character {@link printable} replaces (`\p{Cc}` is exactly C0, DEL and C1). */
const CONTROL_CHARACTERS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/** The escapes with a short name; the other controls are written by code point. */
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One control character as its visible escape. */
function escapeControl(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** What {@link printable} may leave as it is. */
export interface PrintableOptions {
  /** Keep LF (U+000A) raw, for text that may span lines; every other control is still escaped. */
  readonly keepNewlines?: boolean;
}

/** `text` with every control character (see the module comment) replaced by a visible escape. */
export function printable(text: string, options: PrintableOptions = {}): string {
  const keep = options.keepNewlines === true;
  return text.replace(CONTROL_CHARACTERS, (c) => (keep && c === '\n' ? c : escapeControl(c)));
}

/** Characters a JSON text may hold raw that {@link printableJson} escapes (C0 are escaped already). */
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A JSON text (from `JSON.stringify`) with DEL, C1 and bidi controls written as `\uHHHH` escapes.
 * `JSON.stringify` escapes C0 controls but not these; the escaped text parses to the same value,
 * so machine-readable output stays exact while its bytes are safe on a terminal.
 */
export function printableJson(json: string): string {
  return json.replace(
    RAW_IN_JSON,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
