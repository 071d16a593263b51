/** Resolves what a user names on the command line — a known genotype's name or a JSON file — to a parsed genotype. */
import { existsSync } from 'node:fs';
import type { Genotype } from '../shared/genotype.ts';
import { InputFileError, parseJsonText, readInputFile } from './input-file.ts';
import { KNOWN_GENOTYPES } from '../shared/known-genotypes.ts';
import type { SearchSpace } from '../shared/search-space.ts';
import { parseGenotype } from '../shared/validate.ts';

export { InputFileError } from './input-file.ts';

/** A genotype with where it came from, for display. */
export interface SourcedGenotype {
  readonly source: string;
  readonly genotype: Genotype;
}

/**
 * Reads the genotype JSON file `path` (a regular file only: a FIFO, device or folder is refused
 * before it is read); errors name the file and the position of a syntax error, never its bytes.
 */
export function readJsonFile(path: string): unknown {
  return parseJsonText(readInputFile(path, 'genotype file'), `genotype file ${path}`);
}

/** A known genotype by name (e.g. `nasnet-a`), else a genotype JSON file, parsed against `space`. */
export function loadGenotype(ref: string, space: SearchSpace): Promise<SourcedGenotype> {
  // A promise that rejects (never throws) on a bad name or file, as callers await it.
  return new Promise((resolve) => resolve(sourcedGenotype(ref, space)));
}

function sourcedGenotype(ref: string, space: SearchSpace): SourcedGenotype {
  const known = Object.hasOwn(KNOWN_GENOTYPES, ref) ? KNOWN_GENOTYPES[ref] : undefined;
  if (known !== undefined) return { source: ref, genotype: parseGenotype(known, space) };
  if (!existsSync(ref)) {
    const names = Object.keys(KNOWN_GENOTYPES).join(', ');
    throw new InputFileError(
      `unknown genotype "${ref}": not a known name (${names}) and no such file`,
    );
  }
  return { source: ref, genotype: parseGenotype(readJsonFile(ref), space) };
}
