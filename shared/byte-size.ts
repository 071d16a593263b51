/**
 * Sizes in bytes as people write and read them: `8GiB`, `512MiB`, `2e9`, `1.5 GB`. One parser for
 * every flag that takes a size, one formatter for every message that names one.
 */

/** Bytes per unit; binary units (KiB, MiB, GiB, TiB) and decimal ones (kB, MB, GB, TB). */
const UNITS: Readonly<Record<string, number>> = Object.freeze({
  b: 1,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
});

/** The units {@link parseByteSize} accepts, for messages. */
export const BYTE_UNITS = 'B, KiB, MiB, GiB, TiB, kB, MB, GB, TB';

/**
 * Parses `<number>[unit]` (unit case-insensitive, spaces allowed: `8GiB`, `512 MiB`, `2e9`) into
 * whole bytes; null for anything else, a non-finite or non-positive size included.
 */
export function parseByteSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (match === null) return null;
  const unit = UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  const bytes = unit === undefined ? NaN : Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

/** `1.5 GiB`, `512 MiB`, `12 B`: three significant digits in the largest binary unit that fits. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${shown} ${units[unit] ?? 'B'}`;
}
