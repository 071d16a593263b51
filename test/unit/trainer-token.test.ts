/**
 * Where the trainers' token comes from (runtime/trainer-token.ts): --token-file (one trailing newline
 * dropped), --token, $NAS_TRAINER_TOKEN; both flags together, an unreadable file and a bad token
 * are problems that name the flag and never quote the token.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseToken, TOKEN_ENV } from '../../runtime/trainer-token.ts';

const dir = mkdtempSync(join(tmpdir(), 'cellsearch-token-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('chooseToken', () => {
  it('reads the file, dropping one trailing newline (LF or CRLF)', () => {
    for (const text of ['file-token-01\n', 'file-token-01\r\n', 'file-token-01']) {
      const choice = chooseToken({ tokenFile: file('t', text) }, { [TOKEN_ENV]: 'env-token-01' });
      expect(choice).toEqual({ token: 'file-token-01', violations: [] });
    }
  });

  it('takes --token, else the environment, else none', () => {
    const env = { [TOKEN_ENV]: 'env-token-01' };
    expect(chooseToken({ token: 'flag-token-01' }, env).token).toBe('flag-token-01');
    expect(chooseToken({}, env).token).toBe('env-token-01');
    expect(chooseToken({}, {})).toEqual({ token: undefined, violations: [] });
  });

  it('refuses both flags together', () => {
    const choice = chooseToken({ token: 'flag-token-01', tokenFile: file('t', 'x') }, {});
    expect(choice.violations).toEqual([
      { path: '--token-file', message: expect.stringMatching(/not both/) as unknown },
    ]);
  });

  it('refuses a short token, a token with two lines and a missing file, quoting none', () => {
    const cases = [
      [{ tokenFile: file('short', 'secret\n') }, '--token-file'],
      [{ tokenFile: file('two-lines', 'secret-token\n\n') }, '--token-file'],
      [{ token: 'secret' }, '--token'],
      [{ tokenFile: join(dir, 'missing') }, '--token-file'],
    ] as const;
    for (const [flags, path] of cases) {
      const { token, violations } = chooseToken(flags, {});
      expect(token).toBeUndefined();
      expect(violations.map((v) => v.path)).toEqual([path]);
      expect(violations[0]?.message).not.toContain('secret');
    }
    expect(chooseToken({}, { [TOKEN_ENV]: 'a b c d e f' }).violations[0]?.path).toBe(
      `$${TOKEN_ENV}`,
    );
  });
});
