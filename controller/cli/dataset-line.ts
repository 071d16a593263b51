/** The line `nas-ctl search` prints about its dataset before the first trial: what a trainer read, or why it was not checked. */
import type { DatasetPreflight } from '../search/dataset-preflight.ts';

/** One line (with its newline) for the pre-flight dataset check's outcome. */
export function datasetLine(preflight: DatasetPreflight): string {
  if ('skipped' in preflight) return `nas-ctl: note: ${preflight.skipped}\n`;
  const { image, classes, trainCount, testCount } = preflight.checked;
  const test = testCount > 0 ? ` and ${testCount} test` : ', no test split';
  return `dataset: ${image.height}x${image.width}x${image.channels} images, ${classes} classes, ${trainCount} training${test} examples (read by trainer ${preflight.trainer})\n`;
}
