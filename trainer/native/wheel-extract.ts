/**
 * Reads wheels (zip archives) with yauzl: lists their members, checks that the ones the build
 * needs are there, and extracts the selected ones into the tfjs-node package folder.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openPromise, type Entry, type ZipFile } from 'yauzl';
import { WheelExtractError, WheelMemberMissingError, WheelUnreadableError } from './errors.ts';

/** An open wheel and its members by name; `close()` it when done. */
export interface OpenWheel {
  readonly file: string;
  readonly members: ReadonlyMap<string, Entry>;
  /** A stream of the member's uncompressed bytes. */
  openMember(entry: Entry): Promise<Readable>;
  close(): void;
}

/** One member to extract and where it goes, relative to the package folder. */
export interface SelectedMember {
  readonly wheel: OpenWheel;
  readonly entry: Entry;
  readonly destination: string;
}

/** Opens `file` and reads its central directory; a missing or broken file is WheelUnreadableError. */
export async function openWheel(file: string): Promise<OpenWheel> {
  let zip: ZipFile;
  try {
    zip = await openPromise(file, { autoClose: false });
  } catch (err) {
    throw new WheelUnreadableError(file, reason(err));
  }
  const members = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) members.set(entry.fileName, entry);
  } catch (err) {
    zip.close();
    throw new WheelUnreadableError(file, reason(err));
  }
  return {
    file,
    members,
    openMember: (entry) => zip.openReadStreamPromise(entry),
    close: () => zip.close(),
  };
}

/** Throws naming the wheel and the first of `required` it lacks. */
export function checkMembers(wheel: OpenWheel, required: readonly string[]): void {
  const missing = required.find((member) => !wheel.members.has(member));
  if (missing !== undefined) throw new WheelMemberMissingError(basename(wheel.file), missing);
}

/** The members of `wheel` that `destinationOf` places somewhere (directories skipped). */
export function selectMembers(
  wheel: OpenWheel,
  destinationOf: (member: string) => string | undefined,
): SelectedMember[] {
  const selected: SelectedMember[] = [];
  for (const [name, entry] of wheel.members) {
    if (name.endsWith('/')) continue;
    const destination = destinationOf(name);
    if (destination !== undefined) selected.push({ wheel, entry, destination });
  }
  return selected;
}

/** Uncompressed bytes of `members`: what extracting them writes. */
export function extractedBytes(members: readonly SelectedMember[]): number {
  return members.reduce((sum, member) => sum + member.entry.uncompressedSize, 0);
}

/** Writes each member to `<packageDir>/<destination>`, creating folders as needed. */
export async function extractMembers(
  members: readonly SelectedMember[],
  packageDir: string,
): Promise<void> {
  const root = resolve(packageDir) + sep;
  for (const { wheel, entry, destination } of members) {
    const target = resolve(root, destination);
    // yauzl already refuses `..` and absolute member names; this guards the plan's mapping too.
    if (!target.startsWith(root)) {
      throw new WheelUnreadableError(wheel.file, `member ${entry.fileName} maps outside ${root}`);
    }
    await mkdir(dirname(target), { recursive: true });
    try {
      await pipeline(await wheel.openMember(entry), createWriteStream(target));
    } catch (err) {
      throw new WheelExtractError(wheel.file, entry.fileName, target, reason(err));
    }
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
