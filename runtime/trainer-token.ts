/**
 * The trainers' shared bearer token, as `nas-ctl` and `nas-trainer serve` take it: `--token-file`
 * (kept out of `ps` listings), `$NAS_TRAINER_TOKEN`, or `--token` (visible in `ps`). One rule for
 * what a token may be, one reader for the file, the same messages in both programs.
 */
import type { Violation } from '../shared/errors.ts';
import { InputFileError, readInputFile } from './input-file.ts';

/** The environment variable a token may come from, so it stays out of `ps` listings. */
export const TOKEN_ENV = 'NAS_TRAINER_TOKEN';

/** What a token must be: it travels in an HTTP/2 header, `authorization: Bearer <token>`. */
const TOKEN = /^[\x21-\x7e]{8,}$/;

/** The largest token file read: a token is a line, not a document. */
const MAX_TOKEN_FILE_BYTES = 4096;

/** The token flags as commander hands them over. */
export interface TokenFlags {
  readonly token?: string;
  readonly tokenFile?: string;
}

/** The token, or undefined when none is given, and the problems found (with their flag as path). */
export interface TokenChoice {
  readonly token: string | undefined;
  readonly violations: readonly Violation[];
}

/**
 * The token from `--token-file` (one trailing newline dropped), else `--token`, else `$NAS_TRAINER_TOKEN`.
 * Both flags together are a problem, as are an unreadable file and a token that breaks the rule;
 * no message quotes the token or the file.
 */
export function chooseToken(flags: TokenFlags, env: NodeJS.ProcessEnv): TokenChoice {
  if (flags.token !== undefined && flags.tokenFile !== undefined) {
    const message =
      'give the token once: --token or --token-file (which stays out of ps), not both';
    return { token: undefined, violations: [{ path: '--token-file', message }] };
  }
  const [token, path] =
    flags.tokenFile !== undefined
      ? [readToken(flags.tokenFile), '--token-file']
      : flags.token !== undefined
        ? [flags.token, '--token']
        : [env[TOKEN_ENV], `$${TOKEN_ENV}`];
  if (typeof token === 'object') return { token: undefined, violations: [token] };
  if (token === undefined || TOKEN.test(token)) return { token, violations: [] };
  const where = flags.tokenFile === undefined ? '' : ` (in ${flags.tokenFile})`;
  const message = `the token${where} must be at least 8 printable ASCII characters without spaces`;
  return { token: undefined, violations: [{ path, message }] };
}

/** The token in `file`, one trailing newline dropped; a violation if the file cannot be read. */
function readToken(file: string): string | Violation {
  try {
    return readInputFile(file, '', MAX_TOKEN_FILE_BYTES).replace(/\r?\n$/, '');
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    return { path: '--token-file', message: err.message };
  }
}
