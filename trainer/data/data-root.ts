/**
 * Where a dataset spec's folder is on this trainer. A spec keeps its folder as the caller wrote it;
 * here a relative folder resolves under the trainer's `--data-root`, and a folder that ends up
 * outside the root (through `..`, an absolute path or a symbolic link) is refused. Without a root,
 * a relative folder resolves against the trainer's working directory and any folder is allowed (the
 * loopback-only default). Links inside the folder are checked file by file as they are read
 * (trainer/data/bounded-file.ts), by the trainer's dataset reader.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DatasetSpec } from '../../shared/dataset-spec.ts';
import { DatasetOutsideRootError } from './errors.ts';
import { isInsideFolder } from './path-inside.ts';

/**
 * The spec with its folder resolved to an absolute path: under `root` when there is one, else
 * against the working directory (a spec without a folder is returned as it is). Throws
 * DatasetOutsideRootError for a folder outside the root.
 */
export async function resolveDatasetUnderRoot(
  spec: DatasetSpec,
  root: string | undefined,
): Promise<DatasetSpec> {
  if (!('dir' in spec)) return spec;
  if (root === undefined) return { ...spec, dir: resolve(spec.dir) };
  const dir = resolve(root, spec.dir);
  await assertInside(dir, root);
  return { ...spec, dir };
}

async function assertInside(dir: string, root: string): Promise<void> {
  const realRoot = await realpath(root).catch(() => resolve(root));
  const realDir = await realpath(dir).catch(() => dir);
  for (const [candidate, base] of [
    [dir, resolve(root)],
    [realDir, realRoot],
  ] as const) {
    if (!isInsideFolder(candidate, base)) throw new DatasetOutsideRootError(dir, root);
  }
}
