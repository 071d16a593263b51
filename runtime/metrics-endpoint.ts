/**
 * The read-only HTTP endpoint a process serves its Prometheus metrics on: GET (or HEAD) /metrics
 * answers with what `render` returns, in the text exposition format; any other path is 404 and any
 * other method on /metrics 405. Unless opened with `--metrics-public`, a request whose Host header
 * is not a loopback name is 403, like the dashboard's (DNS rebinding). It knows no metrics library:
 * the caller renders.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CellsearchError } from '../shared/errors.ts';
import { hostHeaderName, isLoopbackHost } from './loopback-host.ts';
import type { MetricsAddress } from './metrics-address.ts';

/** The path metrics are served on. */
export const METRICS_PATH = '/metrics';

/** What the endpoint serves. */
export interface MetricsSource {
  /** The exposition text of every metric, rendered at each scrape. */
  render(): Promise<string>;
  /** Its content type, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
}

/** A listening metrics endpoint. */
export interface MetricsEndpoint {
  /** `http://host:port/metrics` as bound (the actual port when 0 was asked for). */
  readonly url: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** The endpoint cannot listen where asked (port in use, address not on this machine, no permission). */
export class MetricsListenError extends CellsearchError {
  constructor(address: MetricsAddress, reason: string) {
    super(
      'METRICS_LISTEN_FAILED',
      `--metrics-port ${address.port} on --metrics-host ${address.host}: cannot listen: ${reason}`,
    );
  }
}

/** Starts the endpoint; resolves once it listens, rejects with MetricsListenError when it cannot. */
export async function startMetricsEndpoint(
  address: MetricsAddress,
  source: MetricsSource,
): Promise<MetricsEndpoint> {
  const server = createServer(
    (request, response) => void answer(request, response, source, address.public),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new MetricsListenError(address, listenFailure(err))),
    );
    server.listen({ host: address.host, port: address.port }, resolve);
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return { url: `http://${host}:${port}${METRICS_PATH}`, close: () => closeServer(server) };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  source: MetricsSource,
  open: boolean,
): Promise<void> {
  const name = hostHeaderName(request.headers.host);
  if (!open && !isLoopbackHost(name)) {
    const why = `this endpoint answers requests for localhost or 127.0.0.1 only, not ${JSON.stringify(name)}`;
    return reply(response, 403, `${why}; to serve other hosts, start it with --metrics-public\n`);
  }
  const path = (request.url ?? '').split('?')[0];
  if (path !== METRICS_PATH)
    return reply(response, 404, `not found; metrics are at ${METRICS_PATH}\n`);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return reply(response, 405, `${METRICS_PATH} is read-only: GET or HEAD\n`);
  }
  let body: string;
  try {
    body = await source.render();
  } catch (err) {
    return reply(
      response,
      500,
      `cannot render metrics: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  response.writeHead(200, { 'content-type': source.contentType });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function reply(response: ServerResponse, code: number, text: string): void {
  response.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function listenFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'the port is in use; choose another, or 0 for a free one';
    case 'EADDRNOTAVAIL':
      return 'the host is not an address of this machine';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case undefined:
    default:
      return err.message;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
