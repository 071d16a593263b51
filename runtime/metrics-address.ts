/**
 * Where a process serves its Prometheus metrics: `--metrics-port` (0 picks a free port; absent: no
 * metrics endpoint), `--metrics-host` (default 127.0.0.1, loopback only) and `--metrics-public`, the
 * opt-in that any address other machines can reach needs. The same flags and the same messages for
 * `nas-trainer serve` and `nas-ctl search`.
 */
import { isIP } from 'node:net';
import type { Violation } from '../shared/errors.ts';
import { isLoopbackHost } from './loopback-host.ts';

/** The default `--metrics-host`: loopback, so metrics leave the machine only when asked to. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/** Where to serve `/metrics`. */
export interface MetricsAddress {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /**
   * `--metrics-public`: served to anyone who reaches the address, whatever the Host header names
   * (a scraper may use a pod IP or a Service name). Otherwise only loopback Host names are answered.
   */
  readonly public: boolean;
}

/** The help text of `--metrics-public`, the same for both commands. */
export const METRICS_PUBLIC_HELP =
  'with --metrics-port: allow a --metrics-host other machines can reach (0.0.0.0, a pod IP) and answer any Host header there, as a Prometheus scraper needs; without it the endpoint listens on loopback only and answers only requests addressed to localhost, 127.0.0.1 or ::1';

/** The metrics flags as commander hands them over (strings, unchecked). */
export interface MetricsFlags {
  readonly metricsHost?: string;
  readonly metricsPort?: string;
  readonly metricsPublic?: boolean;
}

/** A host name: dot-separated labels of letters, digits and hyphens (RFC 1123). */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z\d]([a-z\d-]{0,61}[a-z\d])?(\.[a-z\d]([a-z\d-]{0,61}[a-z\d])?)*$/i;

/**
 * The metrics address the flags ask for, or undefined without `--metrics-port`; each problem is
 * added to `violations` with its flag as path (the result is then meaningless).
 */
export function metricsAddressFrom(
  flags: MetricsFlags,
  violations: Violation[],
): MetricsAddress | undefined {
  const { metricsHost, metricsPort } = flags;
  const open = flags.metricsPublic === true;
  if (metricsPort === undefined) {
    if (metricsHost !== undefined)
      violations.push({ path: '--metrics-host', message: 'goes with --metrics-port' });
    if (open) violations.push({ path: '--metrics-public', message: 'goes with --metrics-port' });
    return undefined;
  }
  const port = /^\d{1,5}$/.test(metricsPort.trim()) ? Number(metricsPort.trim()) : NaN;
  if (!(port >= 0 && port <= 65_535)) {
    const message = `expected a port in 0..65535 (0 picks a free one), got ${JSON.stringify(metricsPort)}`;
    violations.push({ path: '--metrics-port', message });
  }
  const host = (metricsHost ?? DEFAULT_METRICS_HOST).trim();
  if (!isHost(host)) {
    const message = `expected an IP address or host name such as 127.0.0.1, :: or 0.0.0.0, got ${JSON.stringify(metricsHost)}`;
    violations.push({ path: '--metrics-host', message });
  } else if (!open && !isLoopbackHost(host)) {
    const message =
      `${host} can be reached from other machines, which serves metrics to anyone there: ` +
      'add --metrics-public to mean it (any Host header is then answered), or listen on a loopback address (127.0.0.1, ::1, localhost)';
    violations.push({ path: '--metrics-host', message });
  }
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port, public: open };
}

function isHost(text: string): boolean {
  return isIP(text.replace(/^\[(.*)\]$/, '$1')) !== 0 || HOST_NAME.test(text);
}
