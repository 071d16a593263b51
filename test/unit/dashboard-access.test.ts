/**
 * Who may reach a dashboard: loopback by default, a token for anything else, and one clear error
 * naming the flag for every refused setting; and the per-request guard.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DASHBOARD_PORT,
  dashboardAccess,
  isLoopbackHost,
} from '../../controller/dashboard/dashboard-access.ts';
import { checkRequest } from '../../controller/dashboard/request-guard.ts';

const NAMES = { host: '--host', token: '--token', tokenFile: '--token-file' };
const TOKEN = 'sixteen-chars-ok';

describe('dashboard access', () => {
  it('listens on 127.0.0.1 without a token by default', () => {
    expect(dashboardAccess({}, NAMES, {})).toEqual({
      host: '127.0.0.1',
      port: DEFAULT_DASHBOARD_PORT,
      token: null,
    });
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '::2', ''])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses an address other machines reach without a token, naming the flags', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'box.example']) {
      expect(() => dashboardAccess({ host }, NAMES, {})).toThrow(
        new RegExp(
          `^--host ${host.replace(/\./g, '\\.')} can be reached from other machines.*--token-file FILE, \\$NAS_DASHBOARD_TOKEN or --token T`,
        ),
      );
    }
  });

  it('takes the token from the file, the flag or the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cellsearch-token-')), 'token');
    writeFileSync(file, `${TOKEN}-file\n`);
    const exposed = { host: '0.0.0.0' };
    expect(dashboardAccess({ ...exposed, tokenFile: file }, NAMES, {}).token).toBe(`${TOKEN}-file`);
    expect(dashboardAccess({ ...exposed, token: TOKEN }, NAMES, {}).token).toBe(TOKEN);
    const env = { NAS_DASHBOARD_TOKEN: `${TOKEN}-env` };
    expect(dashboardAccess(exposed, NAMES, env).token).toBe(`${TOKEN}-env`);
    expect(dashboardAccess({}, NAMES, env).token).toBe(`${TOKEN}-env`);
    expect(dashboardAccess({}, NAMES, { NAS_DASHBOARD_TOKEN: '' }).token).toBeNull();
  });

  it('refuses a short token, both token flags, an unreadable or empty file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cellsearch-token-'));
    const empty = join(folder, 'empty');
    writeFileSync(empty, '');
    const cases: [Parameters<typeof dashboardAccess>[0], RegExp][] = [
      [{ token: 'short' }, /^--token: the dashboard token must be at least 16 printable/],
      [{ token: 'has spaces in it, sixteen+' }, /^--token: .*without spaces/],
      [{ token: TOKEN, tokenFile: empty }, /^--token-file: give the token once/],
      [{ tokenFile: join(folder, 'missing') }, /^--token-file .*missing/],
      [{ tokenFile: empty }, /^--token-file .*empty: the dashboard token must be/],
      [{ host: ' ' }, /^--host: empty/],
    ];
    for (const [flags, message] of cases)
      expect(() => dashboardAccess(flags, NAMES, {})).toThrow(message);
    expect(() => dashboardAccess({}, NAMES, { NAS_DASHBOARD_TOKEN: 'short' })).toThrow(
      /^\$NAS_DASHBOARD_TOKEN: the dashboard token must be/,
    );
  });
});

describe('dashboard request guard', () => {
  const open = { token: null, cookie: 'c' };
  const guarded = { token: TOKEN, cookie: 'c' };
  const req = (method: string, headers: Record<string, string> = {}, url = '/') => ({
    method,
    url,
    headers: { host: '127.0.0.1:8765', ...headers },
  });

  it('allows only GET and HEAD', () => {
    expect(checkRequest(req('GET'), open).kind).toBe('allow');
    expect(checkRequest(req('HEAD'), open).kind).toBe('allow');
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS'])
      expect(checkRequest(req(method), open)).toMatchObject({ kind: 'refuse', status: 405 });
  });

  it('without a token, answers loopback host names only', () => {
    for (const host of ['localhost:8765', '[::1]:8765', '127.0.0.1'])
      expect(checkRequest(req('GET', { host }), open).kind, host).toBe('allow');
    for (const host of ['rebind.example:8765', '10.1.1.1:8765'])
      expect(checkRequest(req('GET', { host }), open), host).toMatchObject({ status: 403 });
  });

  it('with a token, wants it as Bearer, cookie or ?token= (which becomes the cookie)', () => {
    expect(checkRequest(req('GET'), guarded)).toMatchObject({ status: 401 });
    const bearer = req('GET', { authorization: `Bearer ${TOKEN}` });
    expect(checkRequest(bearer, guarded).kind).toBe('allow');
    expect(checkRequest(req('GET', { cookie: `x=1; c=${TOKEN}` }), guarded).kind).toBe('allow');
    expect(checkRequest(req('GET', { cookie: `c=${TOKEN}x` }), guarded)).toMatchObject({
      status: 401,
    });
    expect(checkRequest(req('GET', {}, `/api/runs?token=${TOKEN}`), guarded)).toEqual({
      kind: 'redirect',
      location: '/api/runs',
      cookie: `c=${TOKEN}; HttpOnly; SameSite=Lax; Path=/`,
    });
  });
});
