/**
 * The configuration of `nas-trainer serve`: one typed, frozen value made from the flags (and the
 * token's environment variable), validated once, every problem listed with its flag.
 */
import { BYTE_UNITS, parseByteSize } from '../../shared/byte-size.ts';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import { chooseToken, TOKEN_ENV } from '../../runtime/trainer-token.ts';
import {
  metricsAddressFrom,
  type MetricsAddress,
  type MetricsFlags,
} from '../../runtime/metrics-address.ts';
import type { BackendChoice } from '../tf.ts';
import type { TlsFiles } from './credentials.ts';

export { TOKEN_ENV };

/** Log levels of the server log. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Everything `serve` needs. */
export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  readonly backend: BackendChoice;
  /** The GPU to use: sets CUDA_VISIBLE_DEVICES before tfjs-node-gpu loads. */
  readonly gpu?: number;
  readonly dataRoot?: string;
  readonly token?: string;
  readonly tls?: TlsFiles;
  readonly capacity: number;
  /** Intra-op threads of a native backend; undefined: every core. */
  readonly threads?: number;
  /** Estimated memory (bytes) a trial may need; undefined: the device's default (memory-limit.ts). */
  readonly maxMemoryBytes?: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Where to serve Prometheus metrics; undefined: not served. */
  readonly metrics?: MetricsAddress;
}

/** The flags as commander hands them over (strings, unvalidated). */
export interface ServeFlags extends MetricsFlags {
  readonly host: string;
  readonly port: string;
  readonly backend: BackendChoice;
  readonly gpu?: string;
  readonly dataRoot?: string;
  readonly token?: string;
  /** A file holding the token (one trailing newline dropped): out of `ps`, unlike --token. */
  readonly tokenFile?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsCa?: string;
  readonly capacity: string;
  readonly threads?: string;
  readonly maxMemory?: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/** Validates the flags; throws InvalidValueError('serve options') naming each bad flag. */
export function parseServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServeConfig {
  const v: Violation[] = [];
  const port = integer(flags.port, '--port', 0, 65_535, v);
  const capacity = integer(flags.capacity, '--capacity', 1, 1024, v);
  const threads =
    flags.threads === undefined ? undefined : integer(flags.threads, '--threads', 1, 1024, v);
  const gpu = flags.gpu === undefined ? undefined : integer(flags.gpu, '--gpu', 0, 1024, v);
  if (flags.host.trim() === '')
    v.push({ path: '--host', message: 'expected an address such as 127.0.0.1' });
  const { token, violations: tokenViolations } = chooseToken(flags, env);
  v.push(...tokenViolations);
  const tls = tlsFiles(flags, v);
  const maxMemoryBytes = flags.maxMemory === undefined ? undefined : byteSize(flags.maxMemory, v);
  const metrics = metricsAddressFrom(flags, v);
  if (v.length > 0) throw new InvalidValueError('serve options', v);
  return Object.freeze({
    host: flags.host.trim(),
    port,
    backend: flags.backend,
    capacity,
    ...(threads === undefined ? {} : { threads }),
    ...(maxMemoryBytes === undefined ? {} : { maxMemoryBytes }),
    logLevel: flags.logLevel,
    ...(gpu === undefined ? {} : { gpu }),
    ...(flags.dataRoot === undefined ? {} : { dataRoot: flags.dataRoot }),
    ...(token === undefined ? {} : { token }),
    ...(tls === undefined ? {} : { tls }),
    ...(metrics === undefined ? {} : { metrics }),
  });
}

function tlsFiles(flags: ServeFlags, v: Violation[]): TlsFiles | undefined {
  const { tlsCert: cert, tlsKey: key, tlsCa: ca } = flags;
  if (cert === undefined && key === undefined) {
    if (ca !== undefined)
      v.push({ path: '--tls-ca', message: 'mutual TLS needs --tls-cert and --tls-key too' });
    return undefined;
  }
  if (cert === undefined || key === undefined) {
    v.push({
      path: cert === undefined ? '--tls-cert' : '--tls-key',
      message: 'TLS needs both --tls-cert and --tls-key',
    });
    return undefined;
  }
  return ca === undefined ? { cert, key } : { cert, key, ca };
}

function integer(text: string, flag: string, min: number, max: number, v: Violation[]): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  v.push({
    path: flag,
    message: `expected an integer in ${min}..${max}, got ${JSON.stringify(text)}`,
  });
  return min;
}

function byteSize(text: string, v: Violation[]): number | undefined {
  const bytes = parseByteSize(text);
  if (bytes !== null) return bytes;
  const message = `expected a size such as 8GiB, 512MiB or 2e9 (units ${BYTE_UNITS}), got ${JSON.stringify(text)}`;
  v.push({ path: '--max-memory', message });
  return undefined;
}
