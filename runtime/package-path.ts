/**
 * Files of the installed package that are not code (package.json, bin/, proto/*.proto, datasets/,
 * the dashboard's page), found from the package's root folder. The root is the nearest ancestor of
 * this module holding a package.json: the same lookup finds it whether the TypeScript sources run
 * (runtime/package-path.ts) or the compiled JavaScript does (dist/runtime/package-path.js), where
 * a path relative to the module would land inside dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`cellsearch: no package.json in any folder above ${from}`);
  }
}

/** The package's root folder: the repository root, or node_modules/cellsearch when installed. */
export const PACKAGE_ROOT: string = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** The absolute path of `segments` (a file or folder of the package) under {@link PACKAGE_ROOT}. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
