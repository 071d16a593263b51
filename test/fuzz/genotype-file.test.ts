/**
 * Fuzzing the genotype reader with files: arbitrary JSON, valid genotypes with one corruption, deep
 * edits at any path, and arbitrary bytes, each written to a real temp file and read as `nas-ctl`
 * reads one. The outcome is a genotype, or an error listing every violation with its path, or one
 * naming the file that is not JSON; never a crash.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidGenotypeError } from '../../shared/errors.ts';
import { InputFileError, loadGenotype } from '../../runtime/genotype-source.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { corruptedArb, editAt } from '../arbitraries/corruptions.ts';
import { genotypeWithOutputsArb } from '../arbitraries/genotype.ts';

const RUNS = { numRuns: 200, interruptAfterTimeLimit: 5_000 };
const dir = mkdtempSync(join(tmpdir(), 'cellsearch-fuzz-genotype-'));
const file = join(dir, 'genotype.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid genotype with the value at a random path (of its own shape) replaced by any JSON. */
const deepEditArb = fc
  .tuple(genotypeWithOutputsArb(), fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue())
  .map(([genotype, picks, value]) => editAt(genotype, pathAlong(genotype, picks), () => value));

/** A path into `value` chosen by `picks` (a key or index at each level, while there is one). */
function pathAlong(value: unknown, picks: readonly number[]): (string | number)[] {
  const [pick, ...rest] = picks;
  if (pick === undefined || typeof value !== 'object' || value === null) return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  const key = keys[pick % Math.max(keys.length, 1)];
  if (key === undefined) return [];
  const inner: unknown = Array.isArray(value)
    ? value[Number(key)]
    : Object.entries(value).find(([k]) => k === key)?.[1];
  return [key, ...pathAlong(inner, rest)];
}

/** What the reader may do with the file's text: give a valid genotype or fail as documented. */
async function checkFile(text: string | Uint8Array): Promise<void> {
  writeFileSync(file, text);
  try {
    const { genotype } = await loadGenotype(file, DEFAULT_SPACE);
    expect(parseGenotype(genotype)).toEqual(genotype);
  } catch (err) {
    if (err instanceof InputFileError) {
      expect(err.message).toContain(file);
      return;
    }
    expect(err).toBeInstanceOf(InvalidGenotypeError);
    if (!(err instanceof InvalidGenotypeError)) return;
    expect(err.violations.length).toBeGreaterThan(0);
    for (const v of err.violations) expect(v.message).not.toBe('');
  }
}

describe('genotype files (fuzz)', () => {
  it('reads arbitrary JSON as a genotype or lists its violations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), (v) => checkFile(JSON.stringify(v))),
      RUNS,
    );
  });

  it('reads corrupted and deeply edited genotypes as a genotype or lists their violations', async () => {
    const arb = fc.oneof(
      corruptedArb().map((c) => c.value),
      deepEditArb,
    );
    await fc.assert(
      fc.asyncProperty(arb, (v) => checkFile(JSON.stringify(v) ?? '')),
      RUNS,
    );
  });

  it('refuses arbitrary bytes and cut-off JSON naming the file', async () => {
    const cut = fc
      .tuple(genotypeWithOutputsArb(), fc.nat())
      .map(([g, n]) => JSON.stringify(g).slice(0, n));
    const bytes = fc.uint8Array({ maxLength: 200 });
    await fc.assert(fc.asyncProperty(fc.oneof(cut, bytes), checkFile), RUNS);
  });
});
