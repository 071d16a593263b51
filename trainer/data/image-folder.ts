/**
 * Reads an image-folder dataset: `<dir>/<class>/<image>.{jpg,jpeg,png}`, or, when `<dir>/train`
 * exists, `<dir>/train/<class>/...` plus an optional `<dir>/test/<class>/...` (or `val/`) test split.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DatasetReadOptions } from './dataset-file.ts';
import { throwIfAborted } from './bounded-file.ts';
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

/**
 * Reads every image under `dir`, resized and centre-cropped to `size` x `size` RGB, bounded by
 * `options` (each image file is checked as decode-image.ts says; the arrays count in the budget).
 */
export async function readImageFolder(
  dir: string,
  size: number,
  options: DatasetReadOptions = {},
): Promise<ImageDataset> {
  const trainDir = isDirectory(join(dir, 'train')) ? join(dir, 'train') : dir;
  const testDir =
    trainDir === dir ? undefined : ['test', 'val'].map((n) => join(dir, n)).find(isDirectory);
  const classNames = await listClassFolders(trainDir);
  const shape: ImageShape = { height: size, width: size, channels: 3 };
  const split = { shape, classCount: classNames.length, options };
  const train = await decodeSplit(await listLabelledFiles(trainDir, classNames), split);
  const test =
    testDir === undefined
      ? undefined
      : await decodeSplit(await listLabelledFiles(testDir, classNames), split);
  return {
    name: `folder:${basename(dir)}`,
    classCount: classNames.length,
    classNames,
    train,
    ...(test === undefined ? {} : { test }),
  };
}

/** How every image of a split is decoded. */
interface SplitFormat {
  readonly shape: ImageShape;
  readonly classCount: number;
  readonly options: DatasetReadOptions;
}

async function decodeSplit(
  files: readonly LabelledFile[],
  { shape, classCount, options }: SplitFormat,
): Promise<ImageSplit> {
  const bytes = shape.height * shape.width * shape.channels;
  // The arrays' size is known from the listing: counted before they are allocated.
  options.budget?.reserve(files.length * (bytes + 2), files[0]?.file ?? 'image folder');
  const images = new Uint8Array(files.length * bytes);
  const labels = createLabels(classCount, files.length);
  for (let start = 0; start < files.length; start += DECODE_CONCURRENCY) {
    throwIfAborted(options.signal);
    const batch = files.slice(start, start + DECODE_CONCURRENCY);
    await Promise.all(
      batch.map(({ file, label }, k) => {
        const i = start + k;
        labels[i] = label;
        const out = images.subarray(i * bytes, (i + 1) * bytes);
        return decodeImageInto(file, shape.height, out, options);
      }),
    );
  }
  return { count: files.length, shape, images, labels };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
