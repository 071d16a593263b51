/**
 * Confines the datasets a remote caller may name to the trainer's `--data-root`: relative folders in a
 * dataset spec resolve under the root, and a folder that ends up outside it (through `..`, an
 * absolute path or a symbolic link) is refused. Without a root, specs resolve against the trainer's
 * working directory and any folder is allowed (the loopback-only default).
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatDatasetSpec, parseDatasetSpec } from '../data/dataset-spec.ts';
import { DatasetOutsideRootError } from './errors.ts';

/**
 * The dataset spec with its folder resolved under `root` (the spec unchanged without a root or a
 * folder). Throws InvalidDatasetSpecError for a spec that does not parse, DatasetOutsideRootError for
 * a folder outside the root.
 */
export async function resolveDatasetUnderRoot(
  spec: string,
  root: string | undefined,
): Promise<string> {
  if (root === undefined) return spec;
  const parsed = parseDatasetSpec(spec);
  if (parsed.kind === 'synthetic') return spec;
  const rawDir = spec.slice(spec.indexOf(':') + 1).trim();
  // parseDatasetSpec resolved the folder against the working directory; take it back to the text.
  const dir = isAbsolute(rawDir) ? parsed.dir : resolve(root, relative(process.cwd(), parsed.dir));
  await assertInside(dir, root);
  return formatDatasetSpec({ ...parsed, dir });
}

async function assertInside(dir: string, root: string): Promise<void> {
  const realRoot = await realpath(root).catch(() => resolve(root));
  const realDir = await realpath(dir).catch(() => dir);
  for (const [candidate, base] of [
    [dir, resolve(root)],
    [realDir, realRoot],
  ] as const) {
    if (!isInside(candidate, base)) throw new DatasetOutsideRootError(dir, root);
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
