/**
 * The trainers part of a search's plan: which trainers (named, or local ones to start), the token,
 * TLS to the trainers, and the discovery timings. A resumed run continues on the fleet its
 * `trainers.json` records unless flags say otherwise; every choice that is not the user's own is
 * said in one line.
 */
import type { Violation } from '../../shared/errors.ts';
import { InputFileError, readInputFile } from '../../runtime/input-file.ts';
import { chooseToken, TOKEN_ENV } from '../../runtime/trainer-token.ts';
import {
  describeFleet,
  FLEET_FILE,
  FleetRecordError,
  readFleetRecord,
  type FleetRecord,
} from '../fleet/fleet-record.ts';
import { parseTrainerTarget, type TrainerTarget } from '../fleet/trainer-target.ts';
import type { ClientTls } from '../trainer-client/index.ts';
import {
  DEFAULT_DISCOVERY_INTERVAL_MS,
  DEFAULT_TRAINER_WAIT_MS,
} from '../search/search-session.ts';
import { trainerList } from './trainer-list.ts';

/** The flags of `nas-ctl search` that say where its trainers are. */
export interface FleetFlags {
  readonly trainers?: string;
  readonly trainersFile?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsServerName?: string;
  readonly localTrainers?: number;
  /** `--trainer-wait` in ms. */
  readonly trainerWait?: number;
  /** `--discovery-interval` in ms. */
  readonly discoveryInterval?: number;
  readonly resume?: string;
}

/** Where a search's trainers are and how to reach them. */
export interface FleetPlan {
  /** What to resolve into trainers; empty: start local ones. */
  readonly targets: readonly TrainerTarget[];
  /** Local trainers to start when `targets` is empty; undefined: one per GPU, else per core. */
  readonly localCount?: number;
  readonly token?: string;
  readonly tls?: ClientTls;
  readonly trainerWaitMs: number;
  readonly discoveryIntervalMs: number;
  /** What the run directory records, for the next `--resume`. */
  readonly record: FleetRecord;
}

/** The fleet the flags (and, on `--resume`, the run's record) ask for; problems go to `violations`. */
export function planFleet(flags: FleetFlags, violations: Violation[], notes: string[]): FleetPlan {
  const stored = storedRecord(flags.resume, violations);
  const named = flags.trainers !== undefined || flags.trainersFile !== undefined;
  const reuse = stored !== null && !named && flags.localTrainers === undefined ? stored : null;
  if (reuse !== null)
    notes.push(
      `resuming on the run's trainers: ${describeFleet(reuse)} (from ${FLEET_FILE}; --trainers or --local-trainers change them)`,
    );
  else if (flags.resume !== undefined && stored === null && !named)
    notes.push(
      `run ${flags.resume} does not record its trainers (made by an older nas-ctl): starting local trainers; give --trainers to use remote ones`,
    );
  else if (stored?.trainers.kind === 'remote' && !named)
    notes.push(`the run ran on ${describeFleet(stored)}; it continues on local trainers`);
  const targets =
    reuse === null ? trainerList(flags, violations) : storedTargets(reuse, violations);
  const tokenFile = flags.tokenFile ?? tokenFileToReuse(flags, reuse);
  const { token, violations: tokenViolations } = chooseToken({ ...flags, tokenFile }, process.env);
  violations.push(...tokenViolations);
  const tlsFiles = tlsToReuse(flags, reuse);
  const tls = readTls(tlsFiles, violations);
  const trainerWaitMs = flags.trainerWait ?? reuse?.trainerWaitMs ?? DEFAULT_TRAINER_WAIT_MS;
  const discoveryIntervalMs =
    flags.discoveryInterval ?? reuse?.discoveryIntervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS;
  const localCount =
    flags.localTrainers ??
    (reuse?.trainers.kind === 'local' ? (reuse.trainers.count ?? undefined) : undefined);
  const record: FleetRecord = {
    version: 1,
    trainers:
      reuse?.trainers ??
      (named
        ? { kind: 'remote', entries: entriesOf(flags.trainers), file: flags.trainersFile ?? null }
        : { kind: 'local', count: flags.localTrainers ?? null }),
    tokenFile: tokenFile ?? null,
    tls: tlsFiles,
    discoveryIntervalMs,
    trainerWaitMs,
  };
  return {
    targets,
    ...(localCount === undefined ? {} : { localCount }),
    ...(token === undefined ? {} : { token }),
    ...(tls === undefined ? {} : { tls }),
    trainerWaitMs,
    discoveryIntervalMs,
    record,
  };
}

function storedRecord(resume: string | undefined, violations: Violation[]): FleetRecord | null {
  if (resume === undefined) return null;
  try {
    return readFleetRecord(resume);
  } catch (err) {
    if (!(err instanceof FleetRecordError)) throw err;
    violations.push({ path: `--resume ${resume}`, message: err.message });
    return null;
  }
}

/** The stored entries (and file) as targets, checked again: the record is a file like any other. */
function storedTargets(record: FleetRecord, violations: Violation[]): TrainerTarget[] {
  if (record.trainers.kind === 'local') return [];
  const { entries, file } = record.trainers;
  const fromEntries = entries.flatMap((entry, i) => {
    const target = parseTrainerTarget(entry, `${FLEET_FILE} trainers.entries[${i}]`, violations);
    return target === null ? [] : [target];
  });
  return [
    ...fromEntries,
    ...(file === null ? [] : trainerList({ trainersFile: file }, violations)),
  ];
}

/** The stored token file, unless a token is given now (a flag or the environment). */
function tokenFileToReuse(flags: FleetFlags, reuse: FleetRecord | null): string | undefined {
  if (flags.token !== undefined || process.env[TOKEN_ENV] !== undefined) return undefined;
  return reuse?.tokenFile ?? undefined;
}

type TlsFiles = NonNullable<FleetRecord['tls']>;

function tlsToReuse(flags: FleetFlags, reuse: FleetRecord | null): TlsFiles | null {
  const { tlsCa, tlsCert, tlsKey, tlsServerName } = flags;
  if ([tlsCa, tlsCert, tlsKey, tlsServerName].every((f) => f === undefined))
    return reuse?.tls ?? null;
  return {
    ca: tlsCa ?? null,
    cert: tlsCert ?? null,
    key: tlsKey ?? null,
    serverName: tlsServerName ?? null,
  };
}

/** TLS material read from its files, checked; undefined for plaintext. */
function readTls(files: TlsFiles | null, violations: Violation[]): ClientTls | undefined {
  if (files === null) return undefined;
  if ((files.cert === null) !== (files.key === null)) {
    const path = files.cert === null ? '--tls-cert' : '--tls-key';
    violations.push({ path, message: 'a client certificate needs both --tls-cert and --tls-key' });
    return undefined;
  }
  if (
    files.serverName !== null &&
    !/^[A-Za-z0-9*](?:[A-Za-z0-9.*-]*[A-Za-z0-9])?$/.test(files.serverName)
  )
    violations.push({ path: '--tls-server-name', message: 'not a DNS name' });
  const read = (file: string | null, flag: string): string | undefined => {
    if (file === null) return undefined;
    try {
      const text = readInputFile(file, flag, 1024 * 1024);
      if (!text.includes('-----BEGIN '))
        violations.push({ path: flag, message: `${file}: not PEM` });
      return text;
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      violations.push({ path: flag, message: err.message });
      return undefined;
    }
  };
  const ca = read(files.ca, '--tls-ca');
  const cert = read(files.cert, '--tls-cert');
  const key = read(files.key, '--tls-key');
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(files.serverName === null ? {} : { serverName: files.serverName }),
  };
}

function entriesOf(list: string | undefined): string[] {
  return list === undefined ? [] : list.split(',').map((e) => e.trim());
}
