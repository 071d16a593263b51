/**
 * Makes datasets/fashion-mnist-small/, the embedded default dataset, from Debian's Fashion-MNIST
 * (apt-get install dataset-fashion-mnist): the first 600 training and 100 test images of each class,
 * as gzipped IDX files, with the licence and a README saying how they were made. The same sources
 * give the same bytes.
 *
 *   npx tsx scripts/make-embedded-dataset.ts [--source DIR] [--out DIR]   write the folder
 *   npx tsx scripts/make-embedded-dataset.ts --check                      compare, exit 1 on a difference
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildFolderFiles, DEBIAN_FASHION_MNIST } from './embedded-dataset/folder-files.ts';

const DEFAULT_OUT = fileURLToPath(new URL('../datasets/fashion-mnist-small', import.meta.url));
const USAGE = 'usage: tsx scripts/make-embedded-dataset.ts [--source DIR] [--out DIR] [--check]';

/** The files of `files` that `dir` lacks or holds with other bytes. */
function differences(files: ReadonlyMap<string, Uint8Array>, dir: string): string[] {
  return [...files].flatMap(([name, bytes]) => {
    const path = join(dir, name);
    if (!existsSync(path)) return [`${name} (missing)`];
    return Buffer.from(bytes).equals(readFileSync(path)) ? [] : [`${name} (differs)`];
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string', default: DEBIAN_FASHION_MNIST },
      out: { type: 'string', default: DEFAULT_OUT },
      check: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(join(values.source, 'train-images-idx3-ubyte.gz'))) {
    process.stderr.write(
      `--source ${values.source} has no train-images-idx3-ubyte.gz; give Fashion-MNIST's folder ` +
        `(apt-get install dataset-fashion-mnist puts it in ${DEBIAN_FASHION_MNIST})\n`,
    );
    return 2;
  }
  const files = await buildFolderFiles(values.source);
  if (values.check) {
    const stale = differences(files, values.out);
    for (const line of stale) process.stderr.write(`${values.out}: ${line}\n`);
    return stale.length === 0 ? 0 : 1;
  }
  mkdirSync(values.out, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(values.out, name), bytes);
  process.stdout.write(`wrote ${[...files.keys()].join(', ')} to ${values.out}\n`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(
    `make-embedded-dataset: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`,
  );
  process.exitCode = 2;
}
