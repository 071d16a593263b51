/**
 * Reads one dataset file whole, gunzipping it when it is gzip-compressed, with errors that name
 * it. Every read is bounded before it starts: the file must be a regular file (see
 * bounded-file.ts) whose size fits what its format implies (its {@link FileRule}), a gzip stream
 * stops at the format's largest size, and the bytes count against the read's {@link ReadBudget}.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { openRegularFile, readExactly, throwIfAborted, type OpenedFile } from './bounded-file.ts';
import {
  CorruptDatasetFileError,
  DatasetFileSizeError,
  MissingDatasetFileError,
} from './errors.ts';
import type { ReadBudget } from './read-budget.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Largest dataset file read, decompressed: 1 GiB, above every standard file the readers take
 * (CIFAR-100's train.bin is 147 MiB, MNIST's training images 45 MiB) and far below what V8 allows.
 */
export const MAX_DATASET_FILE_BYTES = 2 ** 30;

/** Largest text file read beside a dataset (class names): 64 KiB. */
export const MAX_TEXT_FILE_BYTES = 64 * 2 ** 10;

/** How a read may go, beyond the file's own rule. */
export interface DatasetReadOptions {
  /** Files must resolve inside this folder (the trainer's `--data-root`); any when undefined. */
  readonly root?: string;
  /** Counts the bytes the read allocates; none counted when undefined (each file stays bounded). */
  readonly budget?: ReadBudget;
  /** Cancels the read between two chunks or files, with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What a format implies about one of its files, checked before its content is read. */
export interface FileRule {
  /** What the file is, for errors ("CIFAR-10 batch"). */
  readonly what: string;
  /** Most bytes its content (decompressed) may hold. */
  readonly maxBytes: number;
  /** Whether gzip content is decompressed (else read as it is). */
  readonly gzip: boolean;
  /** Bytes at the start of the content that `check` needs (a header); 0 for none. */
  readonly headerBytes: number;
  /** Throws a dataset error when content of `size` bytes starting with `header` cannot be valid. */
  readonly check: (file: string, size: number, header: Uint8Array) => void;
}

/** True when `bytes` start with the gzip magic number 1f 8b (RFC 1952, sec. 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The content of `file` (decompressed when the rule allows gzip and it is gzip, whatever the file
 * is called), reserved in `options.budget`: a caller that drops it early may release its length.
 * Throws a dataset error naming the file when it is missing, not a regular file, outside the root,
 * of a size the rule refuses, over the budget, or corrupt; and the abort reason once aborted.
 */
export async function readDatasetFile(
  file: string,
  rule: FileRule,
  options: DatasetReadOptions = {},
): Promise<Uint8Array> {
  throwIfAborted(options.signal);
  const opened = await openRegularFile(file, rule.what, options.root);
  try {
    const headLength = Math.min(opened.size, Math.max(2, rule.headerBytes));
    const head = await readExactly(opened, file, 0, headLength, options.signal);
    if (rule.gzip && isGzip(head)) return await readGzip(opened, file, rule, options);
    checkSize(file, opened.size, rule, head);
    return await readReserved(opened, file, opened.size, options);
  } finally {
    await opened.handle.close();
  }
}

/** The lines of an optional text file (class names, for example); undefined when it is absent. */
export async function readOptionalLines(
  file: string,
  options: DatasetReadOptions = {},
): Promise<string[] | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readDatasetFile(file, TEXT_RULE, { ...options, budget: undefined });
  } catch (err) {
    if (err instanceof MissingDatasetFileError) return undefined;
    throw err;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const TEXT_RULE: FileRule = {
  what: 'text file',
  maxBytes: MAX_TEXT_FILE_BYTES,
  gzip: false,
  headerBytes: 0,
  check: () => undefined,
};

function checkSize(file: string, size: number, rule: FileRule, head: Uint8Array): void {
  if (size > rule.maxBytes) {
    throw new DatasetFileSizeError(
      file,
      `size ${size} is more than the largest ${rule.what} (${rule.maxBytes} bytes)`,
    );
  }
  rule.check(file, size, head.subarray(0, rule.headerBytes));
}

/** `length` bytes from the file's start, reserved in the budget first (released on failure). */
async function readReserved(
  opened: OpenedFile,
  file: string,
  length: number,
  options: DatasetReadOptions,
): Promise<Buffer> {
  options.budget?.reserve(length, file);
  try {
    return await readExactly(opened, file, 0, length, options.signal);
  } catch (err) {
    options.budget?.release(length);
    throw err;
  }
}

/**
 * Largest gzip file of content up to `maxBytes`: deflate's stored blocks add 5 bytes per 64 KiB
 * (RFC 1951, sec. 3.2.4) and gzip about 20; 1% and 1 KiB more leave room for any encoder.
 */
function maxCompressedBytes(maxBytes: number): number {
  return maxBytes + Math.ceil(maxBytes / 100) + 1024;
}

async function readGzip(
  opened: OpenedFile,
  file: string,
  rule: FileRule,
  options: DatasetReadOptions,
): Promise<Uint8Array> {
  const { budget } = options;
  if (opened.size > maxCompressedBytes(rule.maxBytes)) {
    throw new DatasetFileSizeError(
      file,
      `gzip size ${opened.size} is more than the largest ${rule.what} (${rule.maxBytes} bytes) compresses to`,
    );
  }
  const compressed = await readReserved(opened, file, opened.size, options);
  const room = Math.min(rule.maxBytes, budget?.remaining() ?? Infinity);
  let content: Buffer;
  try {
    content = await gunzipAsync(compressed, { maxOutputLength: Math.max(1, room) });
  } catch (err) {
    if (!(err instanceof RangeError && 'code' in err && err.code === 'ERR_BUFFER_TOO_LARGE')) {
      throw new CorruptDatasetFileError(file, `bad gzip data (${errorText(err)})`);
    }
    // Past the budget: reserving one byte more than was free names the limit.
    if (room < rule.maxBytes) budget?.reserve(room + 1, file);
    throw new DatasetFileSizeError(
      file,
      `decompresses to more than the largest ${rule.what} (${rule.maxBytes} bytes)`,
    );
  } finally {
    budget?.release(compressed.length);
  }
  throwIfAborted(options.signal);
  rule.check(file, content.length, content.subarray(0, rule.headerBytes));
  budget?.reserve(content.length, file);
  return content;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
