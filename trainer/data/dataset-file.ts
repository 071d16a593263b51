/** Reads one dataset file whole, gunzipping it when it is gzip-compressed, with errors that name it. */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { CorruptDatasetFileError, MissingDatasetFileError } from './errors.ts';

const gunzipAsync = promisify(gunzip);

/** True when `bytes` start with the gzip magic number 1f 8b (RFC 1952, sec. 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The bytes of `file`, decompressed if they are gzip (whatever the file is called). Throws
 * {@link MissingDatasetFileError} (describing it as `what`) or {@link CorruptDatasetFileError}.
 */
export async function readDatasetFile(file: string, what: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if (isErrnoException(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) {
      throw new MissingDatasetFileError(file, what);
    }
    throw new CorruptDatasetFileError(file, err instanceof Error ? err.message : String(err));
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (err) {
    throw new CorruptDatasetFileError(
      file,
      `bad gzip data (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

/** The lines of an optional text file (class names, for example), or undefined when it is absent. */
export async function readOptionalLines(file: string): Promise<string[] | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  } catch (err) {
    if (isErrnoException(err) && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

function isErrnoException(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && 'code' in err;
}
