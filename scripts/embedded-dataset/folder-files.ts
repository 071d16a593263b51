/**
 * Every file of datasets/fashion-mnist-small/, built in memory from Debian's Fashion-MNIST: the four
 * gzipped IDX files of the class-balanced subset, the MIT licence and a README that says how the
 * folder was made (source hashes, selection rule, command, output hashes).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { balancedSubset, gzipFixed, sha256, type IdxSplitBytes } from './subset.ts';
import { gunzipSync } from 'node:zlib';

/** Where Debian's dataset-fashion-mnist package installs the four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** Images kept of each of the 10 classes: 6000 training and 1000 test images in all. */
export const TRAIN_PER_CLASS = 600;
export const TEST_PER_CLASS = 100;
const CLASSES = 10;

/** The command that makes the folder, as the README quotes it. */
export const MAKE_COMMAND = 'npx tsx scripts/make-embedded-dataset.ts';

const SPLITS = [
  { prefix: 'train', perClass: TRAIN_PER_CLASS, from: 'training' },
  { prefix: 't10k', perClass: TEST_PER_CLASS, from: 'test' },
] as const;

/** The upstream licence (zalandoresearch/fashion-mnist LICENSE; Expat in Debian's copyright file). */
const LICENSE = `The MIT License (MIT)

Copyright (c) 2017 Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

/** One IDX file's name and its source's and output's gzipped bytes. */
interface MadeFile {
  readonly name: string;
  readonly source: Uint8Array;
  readonly output: Uint8Array;
}

/**
 * The folder's files by name, built from the gzipped IDX files in `sourceDir`. Throws when a source
 * file is missing or malformed, or a class has too few examples.
 */
export async function buildFolderFiles(sourceDir: string): Promise<Map<string, Uint8Array>> {
  const made: MadeFile[] = [];
  for (const split of SPLITS) {
    const names = {
      images: `${split.prefix}-images-idx3-ubyte.gz`,
      labels: `${split.prefix}-labels-idx1-ubyte.gz`,
    };
    const gz = {
      images: await readFile(join(sourceDir, names.images)),
      labels: await readFile(join(sourceDir, names.labels)),
    };
    const plain: IdxSplitBytes = { images: gunzipSync(gz.images), labels: gunzipSync(gz.labels) };
    const subset = balancedSubset(plain, split.perClass, CLASSES, split.prefix);
    made.push({ name: names.images, source: gz.images, output: gzipFixed(subset.images) });
    made.push({ name: names.labels, source: gz.labels, output: gzipFixed(subset.labels) });
  }
  const files = new Map<string, Uint8Array>(made.map((f) => [f.name, f.output]));
  files.set('LICENSE', new TextEncoder().encode(LICENSE));
  files.set('README.md', new TextEncoder().encode(readme(made)));
  return files;
}

function readme(made: readonly MadeFile[]): string {
  const hashes = (pick: (f: MadeFile) => Uint8Array): string =>
    made.map((f) => `- \`${f.name}\`: \`${sha256(pick(f))}\``).join('\n');
  return `# Fashion-MNIST, small

A class-balanced subset of Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; Zalando SE), the
default dataset of \`nas-ctl search\` and \`nas-ctl train\` (dataset spec \`fashion-mnist-small\`):
${CLASSES * TRAIN_PER_CLASS} training images (${TRAIN_PER_CLASS} of each of the ${CLASSES} classes) and ${CLASSES * TEST_PER_CLASS} test images (${TEST_PER_CLASS} of each),
28x28 greyscale, in Fashion-MNIST's own gzipped IDX files, read by the same reader as
\`fashion-mnist:<dir>\`. Licence: MIT, see [LICENSE](LICENSE).

## How it was made

\`${MAKE_COMMAND}\` (with \`--check\`: rebuild in memory and compare) from the
files of Debian's package \`dataset-fashion-mnist\` (0.0~git20200523.55506a9, installed in
\`${DEBIAN_FASHION_MNIST}\`), which are Fashion-MNIST's published files (SHA-256):

${hashes((f) => f.source)}

Selection: the first ${TRAIN_PER_CLASS} images of each class in the training file and the first ${TEST_PER_CLASS} of each
class in the test file, kept in file order. Output: gzip level 9 with no name and no time stamp
(Node's zlib), so the same sources give the same bytes (SHA-256):

${hashes((f) => f.output)}
`;
}
