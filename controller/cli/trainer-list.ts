/**
 * The trainers `nas-ctl search` is told to use: `--trainers host:port,...` and `--trainers-file`
 * (one host:port per line; blank lines and `#` comments are skipped). Every entry is checked here,
 * before anything starts, and a bad one is named with where it came from.
 */
import type { Violation } from '../../shared/errors.ts';
import { InputFileError, readInputFile } from '../../shared/input-file.ts';

/** Where the trainers come from, as the flags give them. */
export interface TrainerListFlags {
  readonly trainers?: string;
  readonly trainersFile?: string;
}

/** A host name, an IPv4 address or a bracketed IPv6 address, then a port. */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):(\d{1,5})$/;

const EXPECTED = 'expected host:port (e.g. gpu1:50051, 10.0.0.7:50051, [::1]:50051)';

/**
 * The host:port entries of both flags, in order; empty when neither is given (local trainers).
 * Each bad entry becomes a violation naming where it is (`--trainers entry 2`,
 * `--trainers-file hosts.txt line 3`); the file is read only if it is a regular file.
 */
export function trainerList(flags: TrainerListFlags, violations: Violation[]): string[] {
  const fromFlag = flags.trainers === undefined ? [] : flagEntries(flags.trainers, violations);
  const fromFile =
    flags.trainersFile === undefined ? [] : fileEntries(flags.trainersFile, violations);
  return [...fromFlag, ...fromFile];
}

function flagEntries(list: string, violations: Violation[]): string[] {
  const entries: string[] = [];
  list.split(',').forEach((raw, i) => {
    const entry = raw.trim();
    const path = `--trainers entry ${i + 1} of ${JSON.stringify(list)}`;
    if (entry === '') violations.push({ path, message: `empty; ${EXPECTED}` });
    else if (check(entry, path, JSON.stringify(entry), violations)) entries.push(entry);
  });
  return entries;
}

function fileEntries(file: string, violations: Violation[]): string[] {
  let text: string;
  try {
    text = readInputFile(file, '');
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    violations.push({ path: '--trainers-file', message: err.message });
    return [];
  }
  const entries: string[] = [];
  const found = violations.length;
  text.split('\n').forEach((raw, i) => {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) return;
    // The line is not quoted: the file may not be what the user meant to show.
    const path = `--trainers-file ${file} line ${i + 1}`;
    if (check(entry, path, 'the line', violations)) entries.push(entry);
  });
  if (entries.length === 0 && violations.length === found) {
    const message = `names no trainer (only blank lines and # comments); ${EXPECTED}, one per line`;
    violations.push({ path: `--trainers-file ${file}`, message });
  }
  return entries;
}

/** Whether `entry` is host:port with a port in 1..65535; a violation at `path` naming it `shown` if not. */
function check(entry: string, path: string, shown: string, violations: Violation[]): boolean {
  const port = HOST_PORT.exec(entry)?.[1];
  if (port === undefined) {
    violations.push({ path, message: `${shown} is not host:port; ${EXPECTED}` });
    return false;
  }
  if (Number(port) < 1 || Number(port) > 65_535) {
    violations.push({ path, message: `port ${port} is not in 1..65535` });
    return false;
  }
  return true;
}
