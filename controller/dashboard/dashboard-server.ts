/**
 * The dashboard's HTTP server (node:http): the page and its libraries, the JSON endpoints and the
 * event stream, behind the request guard. It serves the runs added to it, each read on read-only
 * connections of its own; `nas-ctl search --dashboard` starts it before its run exists and adds the
 * run once the search has made it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CellsearchError } from '../../shared/errors.ts';
import { answerApi, type Download } from './api-routes.ts';
import type { DashboardAccess } from './dashboard-access.ts';
import { DashboardRun, type RunSource } from './dashboard-run.ts';
import { EVENTS_PATH, requestUrl } from './dashboard-routes.ts';
import { LiveUpdates } from './live-updates.ts';
import { checkRequest, type GuardSettings } from './request-guard.ts';
import { staticFile } from './static-files.ts';

/** How the dashboard is started. */
export interface DashboardOptions {
  readonly access: DashboardAccess;
  /** The flags that set host and port, named in a listen error (`--port`, `--dashboard`). */
  readonly flags: { readonly host: string; readonly port: string };
  /** Hears of failures no request sees: a run that cannot be polled, a request that broke. */
  readonly onError?: (err: unknown) => void;
}

/** A running dashboard. */
export interface Dashboard {
  /** Where to open it (with the token, when there is one, left out). */
  readonly url: string;
  /** Opens the run in `source.dir` and serves it; throws like `nas-ctl status` for a bad run. */
  addRun(source: RunSource): DashboardRun;
  /** Ends the event streams, stops listening and closes the runs' connections. */
  close(): Promise<void>;
}

/** Security headers on every answer: no framing, scripts and data from the dashboard only. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
    "frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Starts a dashboard listening on `options.access`; the port 0 picks a free one. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { access } = options;
  const onError = options.onError ?? (() => undefined);
  const runs: DashboardRun[] = [];
  const live = new LiveUpdates(() => runs, onError);
  // Set once listening: the token's cookie is named after the port, which may be picked then.
  let ctx: Context | null = null;
  const server = createServer((req, res) => {
    if (ctx === null) {
      send(res, 503, { error: 'the dashboard is starting' });
      return;
    }
    handle(req, res, ctx).catch((err: unknown) => {
      onError(err);
      if (!res.headersSent) send(res, 500, { error: 'internal error; see the dashboard log' });
      else res.end();
    });
  });
  const port = await listen(server, options);
  ctx = { runs, live, guard: { token: access.token, cookie: `cellsearch_dashboard_${port}` } };
  const shownHost = access.host.includes(':') ? `[${access.host}]` : access.host;
  return {
    url: `http://${shownHost}:${port}/`,
    addRun(source) {
      const run = DashboardRun.open(runs.length, source);
      runs.push(run);
      live.watch(run);
      return run;
    },
    async close() {
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const run of runs.splice(0)) run.close();
    },
  };
}

interface Context {
  readonly runs: readonly DashboardRun[];
  readonly live: LiveUpdates;
  readonly guard: GuardSettings;
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const verdict = checkRequest(req, ctx.guard);
  if (verdict.kind === 'refuse') {
    send(res, verdict.status, { error: verdict.message }, verdict.headers);
    return;
  }
  if (verdict.kind === 'redirect') {
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      location: verdict.location,
      'set-cookie': verdict.cookie,
    });
    res.end();
    return;
  }
  const head = req.method === 'HEAD';
  const path = requestUrl(req.url).pathname;
  if (path === EVENTS_PATH) {
    ctx.live.attach(res, head);
    return;
  }
  if (path.startsWith('/api/')) {
    const answer = answerApi(path, ctx.runs) ?? {
      status: 404,
      body: { error: `no endpoint ${path}` },
    };
    if (answer.download !== undefined) sendDownload(res, answer.download, head);
    else send(res, answer.status, answer.body, {}, head);
    return;
  }
  const found = await staticFile(path);
  if (found === null) {
    send(res, 404, { error: `no page ${path}` }, {}, head);
    return;
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': found.file.type,
    'content-length': found.body.length,
    'cache-control': 'no-cache',
  });
  res.end(head ? undefined : found.body);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  head = false,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}

/** A download: its bytes as an attachment, never shown in the page's origin as a document. */
function sendDownload(res: ServerResponse, file: Download, head: boolean): void {
  const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': file.type,
    'content-length': body.length,
    'content-disposition': `attachment; filename="${file.filename}"`,
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

/** Listens; an address in use or not of this machine is one error naming the flags. */
async function listen(server: Server, options: DashboardOptions): Promise<number> {
  const { host, port } = options.access;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const why =
      code === 'EADDRINUSE'
        ? `port ${port} is in use; give another with ${options.flags.port} (0 picks a free one)`
        : `${err instanceof Error ? err.message : String(err)}; check ${options.flags.host} and ${options.flags.port}`;
    throw new CellsearchError(
      'INVALID_ARGUMENT',
      `the dashboard cannot listen on ${host}:${port}: ${why}`,
    );
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string')
    throw new CellsearchError(
      'INTERNAL',
      `the dashboard listens on no TCP port (${String(address)})`,
    );
  return address.port;
}
