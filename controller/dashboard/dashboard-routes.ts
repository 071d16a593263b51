/**
 * The paths the dashboard answers: its static files, its JSON endpoints and the event stream. The
 * `?token=` redirect goes only to one of these (else to the page), so its Location is always a
 * single-slash path on the dashboard's own origin, never a copy of what the request spelled.
 */
import { isApiPath } from './api-routes.ts';
import { STATIC_FILES } from './static-files.ts';

/** The event stream's path. */
export const EVENTS_PATH = '/api/events';

/**
 * The URL of a request target. Read as a path on the dashboard's origin: `new URL(target, base)`
 * would take `//other.example/x` for another host and throw on `/\\`.
 */
export function requestUrl(target: string | undefined): URL {
  const path = target ?? '/';
  return new URL(`http://dashboard${path.startsWith('/') ? '' : '/'}${path}`);
}

/** Whether the dashboard has a route at URL path `path`. */
export function isDashboardRoute(path: string): boolean {
  return STATIC_FILES.has(path) || path === EVENTS_PATH || isApiPath(path);
}

/**
 * Where a redirect for a request to `url` points: its path when that is a route, else `/`, and its
 * query. A path like `//evil.example/` is no route, so it cannot become a scheme-relative Location.
 */
export function redirectTarget(url: URL): string {
  return (isDashboardRoute(url.pathname) ? url.pathname : '/') + url.search;
}
