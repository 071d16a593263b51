/**
 * Reading a file a user names (a genotype, a list of trainers, a token): only a regular file is
 * read, so a FIFO, a device or a folder is refused at once instead of hanging or streaming forever;
 * errors name the file and what is wrong and never quote its contents.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { CellsearchError } from '../shared/errors.ts';
import { findJsonSyntaxError } from '../shared/json-syntax.ts';

/** A file that cannot be read, is not a regular file, or is not JSON. */
export class InputFileError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_FILE', message);
  }
}

/** Largest input file read by default: far above any genotype, trainer list or token. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const BOM = '\uFEFF';

/**
 * The text of the regular file `path` (UTF-8, a leading byte-order mark dropped). The file is opened
 * without blocking and checked with fstat before a byte is read: what a FIFO's opening would wait
 * for, or a device would stream, is refused. `label` names the file in errors (`--token-file`).
 */
export function readInputFile(path: string, label: string, maxBytes = MAX_INPUT_BYTES): string {
  const name = label === '' ? path : `${label} ${path}`;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputFileError(`${name}: ${errnoText(err)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new InputFileError(`${name}: ${kindOf(stats)}, not a regular file`);
    }
    if (stats.size > maxBytes) {
      throw new InputFileError(`${name}: ${stats.size} bytes, more than the ${maxBytes} allowed`);
    }
    const text = readFileSync(fd, 'utf8');
    return text.startsWith(BOM) ? text.slice(BOM.length) : text;
  } catch (err) {
    if (err instanceof InputFileError) throw err;
    throw new InputFileError(`${name}: ${errnoText(err)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses `text`, read from the file `source` names (`genotype file g.json`), as JSON; a syntax
 * error names the file, the line and column and what was expected there, never the text itself.
 */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = findJsonSyntaxError(text);
    const where = at === null ? '' : ` at line ${at.line}, column ${at.column} (${at.reason})`;
    throw new InputFileError(`${source}: not valid JSON${where}`);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device';
  if (stats.isSocket()) return 'is a socket';
  return 'is a special file';
}

/** A system error in words: `no such file`, `permission denied`, else its code. */
function errnoText(err: unknown): string {
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code === '' ? 'cannot be read' : `cannot be read (${code})`;
  }
}
