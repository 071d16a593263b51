/**
 * How a run's trainers were given, kept in the run directory (`trainers.json`) so that `--resume`
 * continues on the same fleet: the `--trainers` entries and `--trainers-file` (read again on
 * resume), or local trainers; where the token and the TLS material were read from (paths only,
 * never a secret), and the discovery timings. The file is checked like any input before use.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CellsearchError } from '../../shared/errors.ts';
import { parseJsonText, readInputFile } from '../../runtime/input-file.ts';

/** The file in a run directory. */
export const FLEET_FILE = 'trainers.json';

const path = z.string().min(1).max(4096);

const fleetRecordSchema = z.strictObject({
  version: z.literal(1),
  trainers: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('remote'),
      entries: z.array(z.string().min(1).max(1024)).max(10_000),
      file: path.nullable(),
    }),
    z.strictObject({ kind: z.literal('local'), count: z.number().int().min(1).nullable() }),
  ]),
  tokenFile: path.nullable(),
  tls: z
    .strictObject({
      ca: path.nullable(),
      cert: path.nullable(),
      key: path.nullable(),
      serverName: z.string().min(1).max(253).nullable(),
    })
    .nullable(),
  discoveryIntervalMs: z.number().int().positive(),
  trainerWaitMs: z.number().int().positive(),
});

/** What `trainers.json` holds. */
export type FleetRecord = z.infer<typeof fleetRecordSchema>;

/** A `trainers.json` that cannot be read or is not one. */
export class FleetRecordError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_FILE', message);
  }
}

/** The record of the run in `dir`; null when it has none (a run made before runs kept one). */
export function readFleetRecord(dir: string): FleetRecord | null {
  const file = join(dir, FLEET_FILE);
  if (!existsSync(file)) return null;
  let text: string;
  try {
    text = readInputFile(file, '', 1024 * 1024);
  } catch (err) {
    throw new FleetRecordError(`${messageOf(err)}; move it aside to give the trainers anew`);
  }
  try {
    const parsed = fleetRecordSchema.safeParse(parseJsonText(text, file));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.join('.');
    throw new FleetRecordError(
      `${file}: ${where === '' ? '' : `${where}: `}${issue?.message ?? 'not a trainers record'}; move it aside to give the trainers anew`,
    );
  } catch (err) {
    if (err instanceof FleetRecordError) throw err;
    throw new FleetRecordError(`${messageOf(err)}; move it aside to give the trainers anew`);
  }
}

/** Writes the record of the run in `dir` (whole or not at all: a temporary file renamed over it). */
export function writeFleetRecord(dir: string, record: FleetRecord): void {
  const file = join(dir, FLEET_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(fleetRecordSchema.parse(record), null, 2) + '\n');
  renameSync(temporary, file);
}

/** The record's trainers in words: `dns:///x:50051`, `--trainers-file hosts.txt`, `2 local trainers`. */
export function describeFleet(record: FleetRecord): string {
  const t = record.trainers;
  if (t.kind === 'local')
    return t.count === null ? 'local trainers (one per core)' : `${t.count} local trainer(s)`;
  return [...t.entries, ...(t.file === null ? [] : [`--trainers-file ${t.file}`])].join(', ');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
