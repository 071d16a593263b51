/**
 * CSV as RFC 4180 writes it: comma-separated fields, CRLF line ends, fields quoted when they must be.
 * Text fields go through {@link printable}: the only controls in the file are its CRLF record ends
 * and LF inside quoted multi-line fields.
 */
import { printable } from '../../shared/printable.ts';

/** A CSV field's value: text, a number, or nothing (an empty field). */
export type CsvValue = string | number | null;

/** One field: text made {@link printable} (LF kept), quoted (quotes doubled) when it holds a comma, quote or LF. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : printable(value, { keepNewlines: true });
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows as a CSV document, each record ended by CRLF (RFC 4180 section 2). */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
