/**
 * One entry of `--trainers`: what a search resolves, again and again, into trainer addresses. A
 * plain `host:port` (the host's addresses through the system resolver, /etc/hosts included), a
 * `dns:` name (A and AAAA records from DNS, as gRPC's own `dns:` targets: a Kubernetes headless
 * Service lists every ready pod), or an `srv:` name (SRV records: host and port of each trainer).
 */
import { InvalidValueError, type Violation } from '../../shared/errors.ts';

/** Where trainer addresses come from; `server` is a DNS server `ip[:port]` to ask instead of the system's. */
export type TrainerTarget =
  | { readonly kind: 'host'; readonly host: string; readonly port: number }
  | {
      readonly kind: 'dns';
      readonly server: string | null;
      readonly name: string;
      readonly port: number;
    }
  | { readonly kind: 'srv'; readonly server: string | null; readonly name: string };

/** What an entry may look like, for messages. */
export const TARGET_FORMS =
  'host:port (gpu1:50051, 10.0.0.7:50051, [::1]:50051), dns:///name:port (re-resolved A/AAAA records), dns://dns-server/name:port, or srv:///_grpc._tcp.name (SRV records)';

const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)$/;
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9.])?$/;
const SERVER = /^(?:\[[0-9A-Fa-f:.]+\]|[0-9.]+)(?::\d{1,5})?$/;

/** The target an entry names; violations at `path` (nothing returned) when it is not one. */
export function parseTrainerTarget(
  entry: string,
  path: string,
  violations: Violation[],
): TrainerTarget | null {
  const fail = (why: string): null => {
    violations.push({ path, message: `${why}; expected ${TARGET_FORMS}` });
    return null;
  };
  const scheme = /^(dns|srv):\/\/([^/]*)\/(.*)$/.exec(entry);
  if (scheme === null) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return fail(`unknown scheme in ${quote(entry)}`);
    const hostPort = splitHostPort(entry);
    if (hostPort === null || !HOST.test(hostPort.host))
      return fail(`${quote(entry)} is not host:port`);
    const port = checkPort(hostPort.port, path, violations);
    return port === null ? null : { kind: 'host', host: unbracket(hostPort.host), port };
  }
  const [, kind, authority = '', rest = ''] = scheme;
  if (authority !== '' && !SERVER.test(authority))
    return fail(`DNS server ${quote(authority)} in ${quote(entry)} is not ip or ip:port`);
  const server = authority === '' ? null : authority;
  if (kind === 'srv') {
    if (!NAME.test(rest)) return fail(`${quote(rest)} in ${quote(entry)} is not a DNS name`);
    return { kind: 'srv', server, name: rest };
  }
  const hostPort = splitHostPort(rest);
  if (hostPort === null || !NAME.test(hostPort.host))
    return fail(`${quote(rest)} in ${quote(entry)} is not name:port`);
  const port = checkPort(hostPort.port, path, violations);
  return port === null ? null : { kind: 'dns', server, name: hostPort.host, port };
}

/** The entry as a user writes it (what the run stores and the messages show). */
export function formatTarget(target: TrainerTarget): string {
  switch (target.kind) {
    case 'host':
      return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    case 'dns':
      return `dns://${target.server ?? ''}/${target.name}:${target.port}`;
    case 'srv':
      return `srv://${target.server ?? ''}/${target.name}`;
  }
}

/** `host:port` of an address, IPv6 bracketed: the form trainer addresses take everywhere. */
export function addressOf(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function splitHostPort(text: string): { host: string; port: string } | null {
  const match = /^(.*):(\d{1,5})$/.exec(text);
  return match === null ? null : { host: match[1] ?? '', port: match[2] ?? '' };
}

function checkPort(text: string, path: string, violations: Violation[]): number | null {
  const port = Number(text);
  if (port >= 1 && port <= 65_535) return port;
  violations.push({ path, message: `port ${text} is not in 1..65535` });
  return null;
}

function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** Targets of `host:port` addresses (local trainers, tests, benchmarks); throws on a bad one. */
export function hostTargets(addresses: readonly string[]): TrainerTarget[] {
  const violations: Violation[] = [];
  const targets = addresses.flatMap((a, i) => {
    const target = parseTrainerTarget(a, `trainer ${i + 1}`, violations);
    return target === null ? [] : [target];
  });
  if (violations.length > 0) throw new InvalidValueError('trainer addresses', violations);
  return targets;
}
