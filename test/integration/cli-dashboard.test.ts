/**
 * `nas-ctl dashboard` and `nas-ctl search --dashboard` as a user runs them: the URL printed, several
 * runs served, Ctrl-C ending it cleanly, and every refused setting one line naming its flag, before
 * anything starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedRun } from '../fixtures/finished-run.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';

const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;

let runA = '';
let runB = '';
beforeAll(() => {
  runA = finishedRun(3);
  runB = finishedRun(5);
});

describe('nas-ctl dashboard', () => {
  it('serves several runs, prints its URL and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [CTL, 'dashboard', runA, runB, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('nas-ctl dashboard exited')));
    });
    expect(line).toMatch(
      /^nas-ctl dashboard on http:\/\/127\.0\.0\.1:\d+\/ \(2 runs; Ctrl-C stops it\)$/,
    );
    const url = /(http:\S+)/.exec(line)?.[1] ?? '';
    const body: unknown = await (await fetch(`${url}api/runs`)).json();
    expect(body).toMatchObject({ runs: [{ dir: runA }, { dir: runB }] });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('refuses an exposed host without a token, naming the flags', async () => {
    const out = await nasCtl('dashboard', runA, '--host', '0.0.0.0');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^error: --host 0\.0\.0\.0 can be reached from other machines, so the dashboard needs a token: give --token-file FILE, \$NAS_DASHBOARD_TOKEN or --token T/,
    );
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a bad port, a port in use and a folder that is no run', async () => {
    const badPort = await nasCtl('dashboard', runA, '--port', '70000');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port.*expected a port from 0 to 65535/);

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const inUse = await nasCtl('dashboard', runA, '--port', String(port));
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toContain(`port ${port} is in use; give another with --port`);
    } finally {
      taken.close();
    }

    const missing = await nasCtl('dashboard', join(runA, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope is not a cellsearch run directory/);
  });
});

describe('nas-ctl search --dashboard', () => {
  it('checks the dashboard flags before anything starts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-dash-flags-')), 'run');
    const exposed = await nasCtl(
      'search',
      '--run-dir',
      dir,
      '--dashboard',
      '0',
      '--dashboard-host',
      '0.0.0.0',
    );
    expect(exposed.code).toBe(1);
    expect(exposed.stderr).toMatch(
      /^error: --dashboard-host 0\.0\.0\.0 can be reached .*--dashboard-token-file FILE/,
    );
    const stray = await nasCtl('search', '--run-dir', dir, '--dashboard-token', 'sixteen-chars-ok');
    expect(stray.code).toBe(1);
    expect(stray.stderr).toBe('error: --dashboard-token needs --dashboard [port]\n');
    expect(existsSync(dir)).toBe(false);
  });
});
