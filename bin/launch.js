// What the bins run. An installed package has no TypeScript sources: it runs the compiled
// JavaScript in dist/ (`npm run build`, which `npm pack` runs first), and never needs tsx. A git
// checkout runs dist/ only while the build is newer than every source file, else the sources
// through tsx, so a stale or missing build never hides an edit; NAS_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The folders tsconfig.build.json compiles into dist/. */
const SOURCE_DIRS = ['shared', 'runtime', 'proto', 'controller', 'trainer'];

/** Whether some .ts file under `dir` changed after `time` (ms since the epoch). */
function changedSince(dir, time) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return changedSince(path, time);
    return entry.name.endsWith('.ts') && statSync(path).mtimeMs > time;
  });
}

/** Whether `built` exists and was written after the last change to any source. */
function upToDate(built) {
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return !SOURCE_DIRS.some((dir) => changedSince(join(ROOT, dir), builtAt));
}

/** Runs `entry` (a module path without extension, e.g. `controller/cli`), compiled or from source. */
export async function launch(entry) {
  const built = join(ROOT, 'dist', `${entry}.js`);
  const source = join(ROOT, `${entry}.ts`);
  if (!existsSync(source)) {
    if (existsSync(built)) return import(pathToFileURL(built).href);
    process.stderr.write(`cellsearch: ${built} is missing; run \`npm run build\`\n`);
    process.exit(1);
  }
  if (process.env.NAS_FROM_SOURCE !== '1' && upToDate(built)) {
    return import(pathToFileURL(built).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(source).href);
}
