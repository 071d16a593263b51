/**
 * Finds the examples of an image-folder dataset: one subfolder per class (sorted by name, as
 * torchvision's ImageFolder does), holding JPEG or PNG files (or links to them); other files and hidden
 * entries are skipped.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EmptyDatasetError, MissingDatasetFileError } from './errors.ts';

/** The file extensions read as images (compared case-insensitively). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png'];

/** One image file and the index of its class. */
export interface LabelledFile {
  readonly file: string;
  readonly label: number;
}

/** The class subfolder names of `dir`, sorted by code point; throws when there are none. */
export async function listClassFolders(dir: string): Promise<string[]> {
  const entries = await readEntries(dir, 'image folder');
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name);
  if (classes.length === 0)
    throw new EmptyDatasetError(dir, 'has no class subfolders (one per class expected)');
  return classes.sort();
}

/**
 * The images of `dir`'s class subfolders, labelled by each folder's index in `classNames`, in class
 * then file-name order. Every subfolder must be one of `classNames` and hold at least one image.
 */
export async function listLabelledFiles(
  dir: string,
  classNames: readonly string[],
): Promise<LabelledFile[]> {
  const files: LabelledFile[] = [];
  for (const name of await listClassFolders(dir)) {
    const label = classNames.indexOf(name);
    if (label < 0) {
      throw new EmptyDatasetError(
        join(dir, name),
        `is not one of the training classes (${classNames.join(', ')})`,
      );
    }
    const folder = join(dir, name);
    const images = (await readEntries(folder, 'class folder'))
      .filter(
        // Not only regular files: a link is followed (to a file under the data root), and a
        // FIFO or device named like an image is refused by name when read, not skipped unseen.
        (e) =>
          !e.isDirectory() &&
          !e.name.startsWith('.') &&
          IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase()),
      )
      .map((e) => e.name)
      .sort();
    if (images.length === 0) throw new EmptyDatasetError(folder, 'has no JPEG or PNG images');
    for (const image of images) files.push({ file: join(folder, image), label });
  }
  return files;
}

async function readEntries(dir: string, what: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (
      err instanceof Error &&
      'code' in err &&
      (err.code === 'ENOENT' || err.code === 'ENOTDIR')
    ) {
      throw new MissingDatasetFileError(dir, what);
    }
    throw err;
  }
}
