/**
 * Loopback names and the Host header check that goes with them. An HTTP endpoint that only this
 * machine should reach listens on loopback and also answers only requests addressed to a loopback
 * name, so a web page elsewhere cannot read it through a DNS name pointed at 127.0.0.1 (DNS
 * rebinding). The dashboard and the metrics endpoints both check with these two functions.
 */
import { isIP } from 'node:net';

/** Whether `host` names this machine only: localhost, 127.0.0.0/8 or ::1 (brackets allowed). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return isIP(bare) === 6 && /^(0*:)*:?0*1$/.test(bare);
}

/** The name in a Host header, without its port (`[::1]:80` -> `[::1]`); '' when there is none. */
export function hostHeaderName(header: string | undefined): string {
  return /^(\[[^\]]*\]|[^:]*)/.exec(header ?? '')?.[1] ?? '';
}
