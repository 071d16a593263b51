/**
 * Reads an image-folder dataset: `<dir>/<class>/<image>.{jpg,jpeg,png}`, or, when `<dir>/train`
 * exists, `<dir>/train/<class>/...` plus an optional `<dir>/test/<class>/...` (or `val/`) test split.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeImageInto } from './decode-image.ts';
import {
  createLabels,
  type ImageDataset,
  type ImageShape,
  type ImageSplit,
} from './image-dataset.ts';
import { listClassFolders, listLabelledFiles, type LabelledFile } from './image-folder-layout.ts';

/** How many images are decoded at once (sharp decodes on libuv's thread pool). */
const DECODE_CONCURRENCY = 4;

/** Reads every image under `dir`, resized and centre-cropped to `size` x `size` RGB. */
export async function readImageFolder(dir: string, size: number): Promise<ImageDataset> {
  const trainDir = isDirectory(join(dir, 'train')) ? join(dir, 'train') : dir;
  const testDir =
    trainDir === dir ? undefined : ['test', 'val'].map((n) => join(dir, n)).find(isDirectory);
  const classNames = await listClassFolders(trainDir);
  const shape: ImageShape = { height: size, width: size, channels: 3 };
  const train = await decodeSplit(
    await listLabelledFiles(trainDir, classNames),
    shape,
    classNames.length,
  );
  const test =
    testDir === undefined
      ? undefined
      : await decodeSplit(await listLabelledFiles(testDir, classNames), shape, classNames.length);
  return {
    name: `folder:${basename(dir)}`,
    classCount: classNames.length,
    classNames,
    train,
    ...(test === undefined ? {} : { test }),
  };
}

async function decodeSplit(
  files: readonly LabelledFile[],
  shape: ImageShape,
  classCount: number,
): Promise<ImageSplit> {
  const bytes = shape.height * shape.width * shape.channels;
  const images = new Uint8Array(files.length * bytes);
  const labels = createLabels(classCount, files.length);
  for (let start = 0; start < files.length; start += DECODE_CONCURRENCY) {
    const batch = files.slice(start, start + DECODE_CONCURRENCY);
    await Promise.all(
      batch.map(({ file, label }, k) => {
        const i = start + k;
        labels[i] = label;
        return decodeImageInto(file, shape.height, images.subarray(i * bytes, (i + 1) * bytes));
      }),
    );
  }
  return { count: files.length, shape, images, labels };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
