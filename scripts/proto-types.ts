/**
 * Generates proto/gen/ from the .proto files with proto-loader-gen-types, using flags derived from
 * proto/load.ts's LOADER_OPTIONS, so the types always describe what the loader produces.
 *
 *   tsx scripts/proto-types.ts          regenerate proto/gen/
 *   tsx scripts/proto-types.ts --check  regenerate into a temporary folder and fail on any difference
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOADER_OPTIONS, PROTO_FILES, PROTO_ROOT } from '../proto/load.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const GEN_DIR = join(REPO, 'proto', 'gen');
const GEN_TYPES = createRequire(import.meta.url).resolve(
  '@grpc/proto-loader/build/bin/proto-loader-gen-types.js',
);

/** Flags for the generator: one per loader option, then the generator's own (comments, .ts imports). */
export function generatorFlags(): string[] {
  const flags: string[] = [];
  for (const [name, value] of Object.entries(LOADER_OPTIONS)) {
    if (value === true) flags.push(`--${name}`);
    else if (typeof value === 'function') flags.push(`--${name}=${value.name}`);
    else if (value !== false) throw new Error(`no generator flag for loader option ${name}`);
  }
  return [...flags, '--includeComments', '--grpcLib=@grpc/grpc-js', '--importFileExtension=.ts'];
}

function generate(outDir: string): void {
  const includeDir = relative(REPO, PROTO_ROOT) || '.';
  const args = [GEN_TYPES, ...generatorFlags(), '-I', includeDir, '-O', outDir, ...PROTO_FILES];
  execFileSync(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The files that differ between two folders (added, removed or changed), by relative path. */
function differences(expected: string, actual: string): string[] {
  const want = listFiles(expected);
  const have = listFiles(actual);
  const all = [...new Set([...want, ...have])].sort();
  return all.filter((file) => {
    if (!want.includes(file) || !have.includes(file)) return true;
    return readFileSync(join(expected, file), 'utf8') !== readFileSync(join(actual, file), 'utf8');
  });
}

function check(): number {
  const temp = mkdtempSync(join(tmpdir(), 'cellsearch-proto-'));
  try {
    generate(temp);
    const stale = differences(temp, GEN_DIR);
    if (stale.length === 0) return 0;
    process.stderr.write(
      `proto/gen/ is out of date with the .proto files (run npm run proto:gen):\n` +
        stale.map((f) => `  ${f}\n`).join(''),
    );
    return 1;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv.includes('--check')) {
  process.exitCode = check();
} else {
  rmSync(GEN_DIR, { recursive: true, force: true });
  generate(GEN_DIR);
}
