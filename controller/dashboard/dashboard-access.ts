/**
 * Who may reach a dashboard. Safe by default: it listens on 127.0.0.1; any address other machines
 * can reach needs a token, which every request must then carry. The flags' names differ between
 * `nas-ctl dashboard` (`--host`, `--token`) and `nas-ctl search` (`--dashboard-host`, ...), so the
 * caller names them and each error names the flag the user typed.
 */
import { CellsearchError } from '../../shared/errors.ts';
import { InputFileError, readInputFile } from '../../runtime/input-file.ts';
import { isLoopbackHost } from '../../runtime/loopback-host.ts';

/** The environment variable a dashboard token may come from (kept out of `ps` listings). */
export const DASHBOARD_TOKEN_ENV = 'NAS_DASHBOARD_TOKEN';

/** The address a dashboard listens on unless told otherwise: this machine only. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

/** The port a dashboard listens on unless told otherwise (0 picks a free one). */
export const DEFAULT_DASHBOARD_PORT = 8765;

/** A token: printable ASCII without spaces, long enough not to be guessed. */
const TOKEN = /^[\x21-\x7e]{16,}$/;

/** The largest token file read. */
const MAX_TOKEN_FILE_BYTES = 4096;

/** Where a dashboard listens and the token it requires (null: none, loopback only). */
export interface DashboardAccess {
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
}

/** The access flags as given (each optional). */
export interface AccessFlags {
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
  readonly tokenFile?: string;
}

/** How the command spells each access flag, for its messages. */
export interface AccessFlagNames {
  readonly host: string;
  readonly token: string;
  readonly tokenFile: string;
}

/** An access setting that is refused: an exposed address without a token, a bad token. */
export class DashboardAccessError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/**
 * The access the flags ask for: the token from the token file, else the token flag, else
 * `$NAS_DASHBOARD_TOKEN`. Refuses both token flags together, an unreadable file, a short token and
 * a host other machines can reach without a token. No message quotes a token.
 */
export function dashboardAccess(
  flags: AccessFlags,
  names: AccessFlagNames,
  env: NodeJS.ProcessEnv,
): DashboardAccess {
  const host = flags.host ?? DEFAULT_DASHBOARD_HOST;
  if (host.trim() === '')
    throw new DashboardAccessError(`${names.host}: empty; give an address such as 127.0.0.1`);
  const token = chooseToken(flags, names, env);
  if (token === null && !isLoopbackHost(host)) {
    throw new DashboardAccessError(
      `${names.host} ${host} can be reached from other machines, so the dashboard needs a token: ` +
        `give ${names.tokenFile} FILE, $${DASHBOARD_TOKEN_ENV} or ${names.token} T ` +
        `(at least 16 characters), or listen on a loopback address (127.0.0.1, ::1, localhost)`,
    );
  }
  return { host, port: flags.port ?? DEFAULT_DASHBOARD_PORT, token };
}

/** Whether `host` names this machine only (shared with the metrics endpoints' Host check). */
export { isLoopbackHost };

function chooseToken(
  flags: AccessFlags,
  names: AccessFlagNames,
  env: NodeJS.ProcessEnv,
): string | null {
  if (flags.token !== undefined && flags.tokenFile !== undefined) {
    throw new DashboardAccessError(
      `${names.tokenFile}: give the token once: ${names.token} or ${names.tokenFile} (which stays out of ps), not both`,
    );
  }
  const [token, source] =
    flags.tokenFile !== undefined
      ? [readToken(flags.tokenFile, names.tokenFile), `${names.tokenFile} ${flags.tokenFile}`]
      : flags.token !== undefined
        ? [flags.token, names.token]
        : [env[DASHBOARD_TOKEN_ENV], `$${DASHBOARD_TOKEN_ENV}`];
  // An empty variable is an unset one; an empty file or flag is a mistake, refused below.
  const fromEnv = flags.tokenFile === undefined && flags.token === undefined;
  if (token === undefined || (fromEnv && token === '')) return null;
  if (!TOKEN.test(token)) {
    throw new DashboardAccessError(
      `${source}: the dashboard token must be at least 16 printable ASCII characters without spaces`,
    );
  }
  return token;
}

function readToken(file: string, flag: string): string {
  try {
    return readInputFile(file, flag, MAX_TOKEN_FILE_BYTES).replace(/\r?\n$/, '');
  } catch (err) {
    if (err instanceof InputFileError) throw new DashboardAccessError(err.message);
    throw err;
  }
}
