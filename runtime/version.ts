/** The package version, read once from package.json (the single source of truth). */
import { readFileSync } from 'node:fs';
import { packagePath } from './package-path.ts';

const manifest: unknown = JSON.parse(readFileSync(packagePath('package.json'), 'utf8'));

/** cellsearch's version string. */
export const VERSION: string =
  typeof manifest === 'object' &&
  manifest !== null &&
  'version' in manifest &&
  typeof manifest.version === 'string'
    ? manifest.version
    : '0.0.0';
