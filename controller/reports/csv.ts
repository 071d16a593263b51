/** CSV as RFC 4180 writes it: comma-separated fields, CRLF line ends, fields quoted when they must be. */

/** A CSV field's value: text, a number, or nothing (an empty field). */
export type CsvValue = string | number | null;

/** One field: quoted (inner quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows as a CSV document, each record ended by CRLF (RFC 4180 section 2). */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
