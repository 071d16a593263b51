/** Whether a path lies inside a folder, by their absolute paths (no file system access). */
import { isAbsolute, relative, sep } from 'node:path';

/** True when `path` is `folder` or lies under it; both must be absolute and already resolved. */
export function isInsideFolder(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
