/**
 * Writes a saved model (a model folder: model.json + weights.bin) as a Keras 3 `.keras` file, the
 * zip that `keras.saving.load_model` reads: `metadata.json` (keras_version, date_saved),
 * `config.json` (./keras-model.ts) and `model.weights.h5` (./keras-weights-h5.ts), stored
 * uncompressed as Keras' own `model.save` stores them. No custom objects: every layer is a stock
 * Keras layer, the input normalisation included (a 1x1 DepthwiseConv2D with bias).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { writeOutputFile } from '../../runtime/output-file.ts';
import { CellsearchError } from '../../shared/errors.ts';
import { kerasModel } from './keras-model.ts';
import { writeKerasWeights } from './keras-weights-h5.ts';
import { readSavedModelFiles } from './saved-model-files.ts';

/**
 * The Keras release whose `.keras` layout the files follow (written as metadata.json's
 * keras_version); the layout has not changed across Keras 3.
 */
export const KERAS_FORMAT_VERSION = '3.15.1';

/** The zip members, in the order Keras writes them. */
const MEMBERS = Object.freeze({
  metadata: 'metadata.json',
  config: 'config.json',
  weights: 'model.weights.h5',
});

/** An output file that is already there (and `--force` was not given), or is a folder. */
export class OutputExistsError extends CellsearchError {
  constructor(file: string, why: string) {
    super('INVALID_ARGUMENT', `${file}: ${why}`);
  }
}

/** How to write: replace an existing file or not, and the time to record. */
export interface KerasFileOptions {
  readonly force: boolean;
  readonly now?: Date;
}

/**
 * Reads the model saved in `modelDir` and writes it to `file` as a `.keras` file (whole or not at
 * all); throws a one-line error naming the file at fault.
 */
export async function writeKerasFile(
  modelDir: string,
  file: string,
  options: KerasFileOptions,
): Promise<void> {
  checkOutput(file, options.force);
  const model = kerasModel(await readSavedModelFiles(modelDir));
  const scratch = await mkdtemp(join(tmpdir(), 'cellsearch-keras-'));
  let weights: Buffer;
  try {
    const h5 = join(scratch, MEMBERS.weights);
    await writeKerasWeights(h5, model.weights);
    weights = await readFile(h5);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const metadata = {
    keras_version: KERAS_FORMAT_VERSION,
    date_saved: kerasDate(options.now ?? new Date()),
  };
  const zip = await zipped([
    [MEMBERS.metadata, Buffer.from(JSON.stringify(metadata))],
    [MEMBERS.config, Buffer.from(JSON.stringify(model.config))],
    [MEMBERS.weights, weights],
  ]);
  await writeOutputFile(file, zip);
}

function checkOutput(file: string, force: boolean): void {
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) throw new OutputExistsError(file, 'is a folder, not a file');
  if (!force) throw new OutputExistsError(file, 'already exists (add --force to replace it)');
}

/** Keras' `date_saved`: local time as `%Y-%m-%d@%H:%M:%S`. */
function kerasDate(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${day}@${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A zip of `members`, stored without compression, as bytes. */
function zipped(members: readonly (readonly [string, Buffer])[]): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(data, name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
