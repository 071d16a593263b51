/**
 * The dashboard's downloads and log endpoints over a real finished run on 127.0.0.1:0: attachments
 * with safe file names, a saved model only when the run directory has one, and logs read only by a
 * name the run's logs/ folder lists (no path from a request reaches another file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../controller/dashboard/dashboard-server.ts';
import { finishedRun } from '../fixtures/finished-run.ts';

let dashboard: Dashboard;
let dir = '';

beforeAll(async () => {
  dir = finishedRun(4);
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'trainer-1.log'), 'x'.repeat(70_000) + '\nlast line\n');
  dashboard = await startDashboard({
    access: { host: '127.0.0.1', port: 0, token: null },
    flags: { host: '--host', port: '--port' },
  });
  dashboard.addRun({ dir });
});

afterAll(() => dashboard.close());

const get = (path: string, method = 'GET') => fetch(new URL(path, dashboard.url), { method });

describe('dashboard downloads and logs', () => {
  it('serves the trials CSV and a genotype as attachments', async () => {
    const csv = await get('/api/runs/0/trials.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="run-trials.csv"');
    expect((await csv.text()).trim().split('\n')).toHaveLength(5);
    const genotype = await get('/api/runs/0/trials/2/genotype.json');
    expect(genotype.headers.get('content-disposition')).toMatch(
      /^attachment; filename="run-trial-2-[0-9a-f]+\.json"$/,
    );
    expect(await genotype.json()).toHaveProperty('normal.blocks');
    expect((await get('/api/runs/0/trials/99/genotype.json')).status).toBe(404);
    const head = await get('/api/runs/0/trials.csv', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('offers a model only when the run directory holds one', async () => {
    expect(((await (await get('/api/runs/0')).json()) as { model: boolean }).model).toBe(false);
    expect((await get('/api/runs/0/model.json')).status).toBe(404);
    writeFileSync(join(dir, 'model.json'), '{"modelTopology":{}}');
    writeFileSync(join(dir, 'weights.bin'), Buffer.from([1, 2, 3]));
    expect(((await (await get('/api/runs/0')).json()) as { model: boolean }).model).toBe(true);
    const weights = await get('/api/runs/0/weights.bin');
    expect(weights.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await weights.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('lists the logs and sends the end of one, only by a listed name', async () => {
    expect(await (await get('/api/runs/0/logs')).json()).toEqual({ logs: ['trainer-1.log'] });
    const tail = (await (await get('/api/runs/0/logs/trainer-1.log')).json()) as {
      text: string;
      truncated: boolean;
      bytes: number;
    };
    expect(tail.truncated).toBe(true);
    expect(tail.bytes).toBe(70_011);
    expect(tail.text.endsWith('last line\n')).toBe(true);
    expect(tail.text.length).toBe(64 * 1024);
    for (const bad of ['..%2Frun.sqlite', 'run.sqlite', '.hidden.log', 'nope.log'])
      expect((await get(`/api/runs/0/logs/${bad}`)).status).toBe(404);
  });

  it('lists what the runs differ in beside the overviews', async () => {
    const body = (await (await get('/api/runs')).json()) as { settingsDifferences: unknown[] };
    expect(body.settingsDifferences).toEqual([]);
  });

  it('keeps downloads and logs behind the token, like every other endpoint', async () => {
    const token = 'a-token-of-16-or-more-chars';
    const guarded = await startDashboard({
      access: { host: '127.0.0.1', port: 0, token },
      flags: { host: '--host', port: '--port' },
    });
    try {
      guarded.addRun({ dir });
      for (const path of ['/api/runs/0/trials.csv', '/api/runs/0/logs/trainer-1.log']) {
        const url = new URL(path, guarded.url);
        expect((await fetch(url)).status).toBe(401);
        const allowed = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        expect(allowed.status).toBe(200);
      }
    } finally {
      await guarded.close();
    }
  });
});
