/** Resolves what a user names on the command line — a known genotype's name or a JSON file — to a parsed genotype. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CellsearchError } from './errors.ts';
import type { Genotype } from './genotype.ts';
import { KNOWN_GENOTYPES } from './known-genotypes.ts';
import type { SearchSpace } from './search-space.ts';
import { parseGenotype } from './validate.ts';

/** A file that cannot be read or is not JSON. */
export class InputFileError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_FILE', message);
  }
}

/** A genotype with where it came from, for display. */
export interface SourcedGenotype {
  readonly source: string;
  readonly genotype: Genotype;
}

/** Reads and parses a JSON file; errors name the file and what is wrong. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new InputFileError(`cannot read ${path}: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputFileError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** A known genotype by name (e.g. `nasnet-a`), else a genotype JSON file, parsed against `space`. */
export async function loadGenotype(ref: string, space: SearchSpace): Promise<SourcedGenotype> {
  const known = Object.hasOwn(KNOWN_GENOTYPES, ref) ? KNOWN_GENOTYPES[ref] : undefined;
  if (known !== undefined) return { source: ref, genotype: parseGenotype(known, space) };
  if (!existsSync(ref)) {
    const names = Object.keys(KNOWN_GENOTYPES).join(', ');
    throw new InputFileError(
      `unknown genotype "${ref}": not a known name (${names}) and no such file`,
    );
  }
  const json = await readJsonFile(ref);
  return { source: ref, genotype: parseGenotype(json, space) };
}
