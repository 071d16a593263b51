/**
 * The trainers `nas-ctl search` is told to use: `--trainers entry,...` and `--trainers-file` (one
 * entry per line; blank lines and `#` comments are skipped), each a host:port or a DNS name to
 * resolve again and again (controller/fleet/trainer-target.ts). Every entry is checked here, before
 * anything starts, and a bad one is named with where it came from.
 */
import type { Violation } from '../../shared/errors.ts';
import { InputFileError, readInputFile } from '../../runtime/input-file.ts';
import { parseTrainerTarget, TARGET_FORMS, type TrainerTarget } from '../fleet/trainer-target.ts';

/** Where the trainers come from, as the flags give them. */
export interface TrainerListFlags {
  readonly trainers?: string;
  readonly trainersFile?: string;
}

const EXPECTED = `expected ${TARGET_FORMS}`;

/**
 * The targets of both flags, in order; empty when neither is given (local trainers).
 * Each bad entry becomes a violation naming where it is (`--trainers entry 2`,
 * `--trainers-file hosts.txt line 3`); the file is read only if it is a regular file.
 */
export function trainerList(flags: TrainerListFlags, violations: Violation[]): TrainerTarget[] {
  const fromFlag = flags.trainers === undefined ? [] : flagEntries(flags.trainers, violations);
  const fromFile =
    flags.trainersFile === undefined ? [] : fileEntries(flags.trainersFile, violations);
  return [...fromFlag, ...fromFile];
}

function flagEntries(list: string, violations: Violation[]): TrainerTarget[] {
  const entries: TrainerTarget[] = [];
  list.split(',').forEach((raw, i) => {
    const entry = raw.trim();
    const path = `--trainers entry ${i + 1} of ${JSON.stringify(list)}`;
    if (entry === '') violations.push({ path, message: `empty; ${EXPECTED}` });
    else {
      const target = parseTrainerTarget(entry, path, violations);
      if (target !== null) entries.push(target);
    }
  });
  return entries;
}

function fileEntries(file: string, violations: Violation[]): TrainerTarget[] {
  let text: string;
  try {
    text = readInputFile(file, '');
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    violations.push({ path: '--trainers-file', message: err.message });
    return [];
  }
  const entries: TrainerTarget[] = [];
  const found = violations.length;
  text.split('\n').forEach((raw, i) => {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) return;
    // The line is not quoted: the file may not be what the user meant to show.
    const path = `--trainers-file ${file} line ${i + 1}`;
    const lineViolations: Violation[] = [];
    const target = parseTrainerTarget(entry, path, lineViolations);
    if (target !== null) entries.push(target);
    else
      violations.push(
        ...lineViolations.map((v) => ({ ...v, message: unquoted(v.message, entry) })),
      );
  });
  if (entries.length === 0 && violations.length === found) {
    const message = `names no trainer (only blank lines and # comments); ${EXPECTED}, one per line`;
    violations.push({ path: `--trainers-file ${file}`, message });
  }
  return entries;
}

/** A message with the line's text replaced by "the line". */
function unquoted(message: string, entry: string): string {
  return message.split(JSON.stringify(entry)).join('the line');
}
