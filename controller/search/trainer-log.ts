/**
 * The log file of a local trainer: the trainer's stderr (pino JSON lines, and whatever its trial
 * processes print) goes there instead of the terminal, and nas-ctl reads back its last words when the
 * trainer dies, as one readable line.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_PREFIX, USAGE_HINT } from '../../runtime/report-error.ts';

/** How much of the end of a log is read for its last message. */
const TAIL_BYTES = 16 * 1024;
/** Longest last message quoted, in characters. */
const MAX_MESSAGE = 400;

/** The log file of local trainer `n` (1, 2, ...) in `dir`. */
export function trainerLogFile(dir: string, n: number): string {
  return join(dir, `trainer-${n}.log`);
}

/** Opens `file` for appending (making its folder); returns the file descriptor for a child's stdio. */
export function openTrainerLog(file: string, dir: string): number {
  mkdirSync(dir, { recursive: true });
  return openSync(file, 'a');
}

/**
 * The last thing the log says, as one readable line: a pino line's `msg` (with its error's message),
 * else the last line without an `error: ` prefix; null when the log is empty or cannot be read.
 */
export function lastLogMessage(file: string): string | null {
  const text = tail(file);
  if (text === null) return null;
  const line = text
    .split('\n')
    .map((l) => l.trim())
    // The usage hint under a trainer's command-line error is not the error.
    .filter((l) => l !== '' && l !== USAGE_HINT)
    .at(-1);
  if (line === undefined) return null;
  // A line of the trainer CLI's error boundary reads `error: <message>`.
  const message =
    pinoMessage(line) ?? (line.startsWith(ERROR_PREFIX) ? line.slice(ERROR_PREFIX.length) : line);
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}...` : message;
}

function tail(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `msg` of a pino JSON line, followed by `err.message` when it has one; null for other lines. */
function pinoMessage(line: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('msg' in value)) return null;
  const msg = String(value.msg);
  const err = 'err' in value ? value.err : undefined;
  const detail =
    typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : '';
  return detail === '' ? msg : `${msg}: ${detail.split('\n')[0] ?? ''}`;
}
