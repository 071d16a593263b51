/** Number, time and text formatting for the dashboard page. */

/** Colours of the runs, in the order the dashboard lists them. */
export const RUN_COLORS = ['#2f6fde', '#e8590c', '#2b8a3e', '#9c36b5', '#c92a2a', '#0b7285'];

/** The colour of run `run`. */
export function runColor(run) {
  return RUN_COLORS[run % RUN_COLORS.length];
}

/** A reward (an accuracy in [0, 1]) as a percentage, or a dash. */
export function percent(value) {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** A count with k / M suffixes, or a dash. */
export function count(value) {
  if (value === null || value === undefined) return '–';
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(value);
}

/** A number with `digits` decimals, or a dash. */
export function fixed(value, digits) {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** What a running trial has done so far: `epoch 2/5 · 61.2%`, or null before its first epoch. */
export function progressText(t, epochs) {
  if (t.epoch === null) return null;
  const of = epochs === null ? '' : `/${epochs}`;
  return `epoch ${t.epoch}${of} · ${percent(t.validationAccuracy)}`;
}

/** Milliseconds as `1h 02m`, `3m 05s` or `12s`, or a dash. */
export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  const pad = (n) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${s}s`;
}

/**
 * The page's copy of shared/printable.ts with `keepNewlines` (the browser loads no TypeScript):
 * every control character but LF written as a visible escape (`\t`, `\r`, `\x1b`, `\x9b`,
 * `\u202e`). The DOM acts on no LF and a trial's DOT needs its line ends; test/unit/printable.test.ts
 * checks that the two functions agree.
 */
export function printable(text) {
  return text.replace(/[^\P{Cc}\n]|[\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    const code = c.codePointAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A JSON text parsed with every string in it {@link printable}: what the server sends comes from run stores. */
export function parsePrintable(json) {
  return JSON.parse(json, (_key, value) => (typeof value === 'string' ? printable(value) : value));
}

/** An element `tag` with attributes and children (strings become text: nothing is parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'style') node.style.cssText = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
