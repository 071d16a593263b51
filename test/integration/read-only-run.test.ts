/**
 * A run on a read-only mount (a real `mount --bind` remounted read-only): `status`, `best`,
 * `export`, `compare` and the dashboard read it, where SQLite alone failed with "unable to open
 * database file" (it cannot make the WAL's -shm file there; issue #21), and commits still in the
 * run's WAL are read too. Mounting needs root: elsewhere the tests are skipped with a message, but
 * under CI=true they fail instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../../controller/dashboard/dashboard-server.ts';
import { openRunDatabase, RUN_FILE } from '../../controller/store/index.ts';
import { finishedRun } from '../fixtures/finished-run.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';

const mounts: string[] = [];

/** Bind-mounts `dir` read-only at a new directory; the reason why not when mounting is refused. */
function readOnlyView(dir: string): string {
  const at = mkdtempSync(join(tmpdir(), 'cellsearch-ro-'));
  execFileSync('mount', ['--bind', dir, at], { stdio: 'pipe' });
  mounts.push(at);
  execFileSync('mount', ['-o', 'remount,ro,bind', at], { stdio: 'pipe' });
  return at;
}

let why: string | null = null;
let source = '';
let view = '';
let writer: Database.Database | null = null;
beforeAll(() => {
  source = finishedRun(6);
  try {
    view = readOnlyView(source);
  } catch (err) {
    why = `cannot make a read-only bind mount (needs root): ${err instanceof Error ? err.message : String(err)}`;
    if (process.env['CI'] === 'true') throw new Error(why, { cause: err });
  }
});
afterAll(() => {
  writer?.close();
  for (const at of mounts.splice(0).reverse()) {
    execFileSync('umount', [at]);
    rmSync(at, { recursive: true, force: true });
  }
});

describe('a run on a read-only mount', () => {
  it('is read-only there: nothing can be written beside run.sqlite', (ctx) => {
    if (why !== null) return ctx.skip(why);
    expect(() => mkdirSync(join(view, 'x'))).toThrow(/EROFS/);
  });

  it('reads with status, best, export and compare', async (ctx) => {
    if (why !== null) return ctx.skip(why);
    const status = await nasCtl('status', view);
    expect(status.stderr).toBe('');
    expect([status.code, status.stdout]).toEqual([0, expect.stringContaining(view) as unknown]);
    expect(status.stdout).toMatch(/6 succeeded|succeeded\s+6/);
    const best = await nasCtl('best', view);
    expect([best.code, best.stderr]).toEqual([0, '']);
    const out = mkdtempSync(join(tmpdir(), 'cellsearch-ro-out-'));
    const exported = await nasCtl('export', view, '--top', '2', '--out', out);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(readdirSync(out)).toContain('summary.json');
    const svg = join(out, 'compare.svg');
    const compared = await nasCtl('compare', view, '--out', svg);
    expect([compared.code, compared.stderr]).toEqual([0, '']);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg|<\?xml/);
    // Reading wrote nothing to the run (it could not: the mount is read-only).
    expect(readdirSync(source)).toEqual([RUN_FILE]);
  });

  it('serves it on the dashboard', async (ctx) => {
    if (why !== null) return ctx.skip(why);
    const dashboard = await startDashboard({
      access: { host: '127.0.0.1', port: 0, token: null },
      flags: { host: '--host', port: '--port' },
    });
    try {
      dashboard.addRun({ dir: view });
      const body: unknown = await (await fetch(`${dashboard.url}api/runs`)).json();
      expect(body).toMatchObject({ runs: [{ dir: view, counts: { total: 6 } }] });
    } finally {
      await dashboard.close();
    }
  });

  it('reads commits still in the WAL', (ctx) => {
    if (why !== null) return ctx.skip(why);
    // A writer on the writable side that never checkpoints: its commit is only in run.sqlite-wal.
    writer = new Database(join(source, RUN_FILE));
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE wal_probe (x INTEGER)');
    const db = openRunDatabase(view, 'read');
    try {
      const names = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((r) => r.name);
      expect(names).toContain('wal_probe');
    } finally {
      db.close();
    }
  });
});
