/**
 * The check every dashboard request passes first. Only GET and HEAD exist: no endpoint changes a
 * run. With a token, a request carries it as `Authorization: Bearer <token>` or in the cookie that
 * opening the page once with `?token=<token>` sets (the address bar then drops it). Without one the
 * dashboard listens on loopback only, and answers only requests addressed to a loopback name, so a
 * web page elsewhere cannot read it through a DNS name pointed at 127.0.0.1 (DNS rebinding).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { hostHeaderName, isLoopbackHost } from '../../runtime/loopback-host.ts';
import { redirectTarget, requestUrl } from './dashboard-routes.ts';

/** What to do with a request. */
export type Verdict =
  | { readonly kind: 'allow' }
  | {
      readonly kind: 'refuse';
      readonly status: number;
      readonly message: string;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'redirect'; readonly location: string; readonly cookie: string };

/** The parts of a request the guard reads. */
export interface GuardedRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

/** The guard's settings: the token (null: none) and the cookie that carries it. */
export interface GuardSettings {
  readonly token: string | null;
  /** Cookies ignore ports, so each dashboard names its own (`cellsearch_dashboard_<port>`). */
  readonly cookie: string;
}

/** The verdict on `req`. */
export function checkRequest(req: GuardedRequest, settings: GuardSettings): Verdict {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return refuse(405, 'the dashboard is read-only: only GET and HEAD', { allow: 'GET, HEAD' });
  }
  const url = requestUrl(req.url);
  if (settings.token === null) return checkHost(req.headers.host);
  const given = url.searchParams.get('token');
  if (given !== null) {
    if (!sameToken(given, settings.token)) return unauthorized('the ?token= given is wrong');
    url.searchParams.delete('token');
    return {
      kind: 'redirect',
      location: redirectTarget(url),
      cookie: `${settings.cookie}=${encodeURIComponent(given)}; HttpOnly; SameSite=Lax; Path=/`,
    };
  }
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const cookie = cookieValue(req.headers.cookie, settings.cookie);
  const presented = bearer ?? cookie;
  if (presented === undefined)
    return unauthorized('open the dashboard once with ?token=<token>, or send a Bearer token');
  return sameToken(presented, settings.token)
    ? { kind: 'allow' }
    : unauthorized('the token given is wrong');
}

function checkHost(host: string | undefined): Verdict {
  const name = hostHeaderName(host);
  if (isLoopbackHost(name)) return { kind: 'allow' };
  return refuse(
    403,
    `this dashboard answers requests for localhost or 127.0.0.1 only, not "${name}"; ` +
      'to reach it from elsewhere, start it with a host and a token',
    {},
  );
}

function unauthorized(message: string): Verdict {
  return refuse(401, message, { 'www-authenticate': 'Bearer realm="cellsearch dashboard"' });
}

function refuse(status: number, message: string, headers: Record<string, string>): Verdict {
  return { kind: 'refuse', status, message, headers };
}

/** Compares in constant time (digests of equal length), so timing does not leak the token. */
function sameToken(given: string, token: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
