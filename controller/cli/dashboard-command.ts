/**
 * `nas-ctl dashboard <run-dir...>`: a live web page of one or more runs (finished or being searched,
 * side by side), and `nas-ctl search --dashboard [port]`'s wiring of the same page for the search it
 * runs. Read-only; loopback only unless a host and a token are given (controller/dashboard/).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { SearchSession } from '../search/search-session.ts';
import {
  DASHBOARD_TOKEN_ENV,
  DEFAULT_DASHBOARD_HOST,
  DEFAULT_DASHBOARD_PORT,
  DashboardAccessError,
  dashboardAccess,
  type AccessFlagNames,
  type DashboardAccess,
} from '../dashboard/dashboard-access.ts';
import { startDashboard, type Dashboard } from '../dashboard/dashboard-server.ts';

/** The flags of `nas-ctl search` that serve its dashboard. */
export interface SearchDashboardFlags {
  /** `--dashboard` alone: true (the default port); with a value: that port. */
  readonly dashboard?: true | number;
  readonly dashboardHost?: string;
  readonly dashboardToken?: string;
  readonly dashboardTokenFile?: string;
}

/** The dashboard of a running search: add the search once it is open, close when it ends. */
export interface SearchDashboard {
  attach(dir: string, session: SearchSession): void;
  close(): Promise<void>;
}

const SEARCH_NAMES: AccessFlagNames = {
  host: '--dashboard-host',
  token: '--dashboard-token',
  tokenFile: '--dashboard-token-file',
};

/** Parses a TCP port, 0 (any free one) to 65535. */
export function portNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 65_535)
    throw new InvalidArgumentError(
      `expected a port from 0 to 65535 (0: any free port), got "${text}"`,
    );
  return n;
}

/** Adds `dashboard` to nas-ctl. */
export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard <run-dir...>')
    .description('serve a live web dashboard of runs (read-only; finished or being searched)')
    .option(
      '--host <address>',
      'address to listen on; one other machines can reach needs a token',
      DEFAULT_DASHBOARD_HOST,
    )
    .option(
      '--port <n>',
      'port to listen on (0: any free port)',
      portNumber,
      DEFAULT_DASHBOARD_PORT,
    )
    .option(
      '--token <token>',
      `token every request must carry (default: $${DASHBOARD_TOKEN_ENV}); visible in ps`,
    )
    .option('--token-file <file>', 'read the token from this file (one trailing newline dropped)')
    .action(serveRuns);
}

/** The flags of `nas-ctl dashboard`. */
interface DashboardFlags {
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly tokenFile?: string;
}

/** Serves the runs in `dirs` until Ctrl-C or SIGTERM. */
async function serveRuns(dirs: string[], flags: DashboardFlags): Promise<void> {
  const names = { host: '--host', token: '--token', tokenFile: '--token-file' };
  const access = dashboardAccess(flags, names, process.env);
  const dashboard = await startDashboard({
    access,
    flags: { host: '--host', port: '--port' },
    onError: logError,
  });
  try {
    for (const dir of dirs) dashboard.addRun({ dir });
  } catch (err) {
    await dashboard.close();
    throw err;
  }
  const runs = `${dirs.length} run${dirs.length === 1 ? '' : 's'}`;
  process.stdout.write(
    `nas-ctl dashboard on ${shownUrl(dashboard, access)} (${runs}; Ctrl-C stops it)\n`,
  );
  await stopSignal();
  await dashboard.close();
}

/** Adds `--dashboard [port]` and its host and token flags to `nas-ctl search`. */
export function addSearchDashboardFlags(command: Command): Command {
  return command
    .option(
      '--dashboard [port]',
      `serve a live web dashboard of the search (default port ${DEFAULT_DASHBOARD_PORT}; 0: any free port)`,
      portNumber,
    )
    .option(
      '--dashboard-host <address>',
      `address the dashboard listens on (default: ${DEFAULT_DASHBOARD_HOST}); one other machines can reach needs a token`,
    )
    .option(
      '--dashboard-token <token>',
      `token every dashboard request must carry (default: $${DASHBOARD_TOKEN_ENV}); visible in ps`,
    )
    .option('--dashboard-token-file <file>', 'read the dashboard token from this file');
}

/** The dashboard access the search's flags ask for (null: no dashboard); checked before anything starts. */
export function searchDashboardAccess(flags: SearchDashboardFlags): DashboardAccess | null {
  if (flags.dashboard === undefined) {
    const others = [
      [flags.dashboardHost, SEARCH_NAMES.host],
      [flags.dashboardToken, SEARCH_NAMES.token],
      [flags.dashboardTokenFile, SEARCH_NAMES.tokenFile],
    ] as const;
    const stray = others.find(([value]) => value !== undefined);
    if (stray !== undefined) throw new DashboardAccessError(`${stray[1]} needs --dashboard [port]`);
    return null;
  }
  return dashboardAccess(
    {
      ...(flags.dashboardHost === undefined ? {} : { host: flags.dashboardHost }),
      ...(flags.dashboard === true ? {} : { port: flags.dashboard }),
      ...(flags.dashboardToken === undefined ? {} : { token: flags.dashboardToken }),
      ...(flags.dashboardTokenFile === undefined ? {} : { tokenFile: flags.dashboardTokenFile }),
    },
    SEARCH_NAMES,
    process.env,
  );
}

/** Starts the search's dashboard (before its run exists: a port in use fails before anything starts). */
export async function startSearchDashboard(
  access: DashboardAccess | null,
): Promise<SearchDashboard | null> {
  if (access === null) return null;
  const dashboard = await startDashboard({
    access,
    flags: { host: '--dashboard-host', port: '--dashboard' },
    onError: logError,
  });
  process.stderr.write(`nas-ctl dashboard on ${shownUrl(dashboard, access)}\n`);
  return {
    attach(dir, session) {
      // A run the dashboard cannot read is its loss, not the search's: say so and search on.
      try {
        dashboard.addRun({ dir, liveTrainers: () => session.driver.pool.trainerStates() });
      } catch (err) {
        logError(err);
      }
    },
    close: () => dashboard.close(),
  };
}

function shownUrl(dashboard: Dashboard, access: DashboardAccess): string {
  return access.token === null
    ? dashboard.url
    : `${dashboard.url} (open it once with ?token=<token>)`;
}

function logError(err: unknown): void {
  process.stderr.write(`nas-ctl dashboard: ${err instanceof Error ? err.message : String(err)}\n`);
}

/** Resolves at the first SIGINT or SIGTERM (which then no longer kill the process). */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
