/**
 * The dashboard's HTTP server over real run stores on 127.0.0.1:0: its JSON endpoints against what
 * the store says, the fixed map of static files, read-only answers, the DNS-rebinding guard, tokens,
 * and live updates: a trial a search commits reaches an open event stream within a second.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openRunStore, RUN_FILE } from '../../controller/store/index.ts';
import { startDashboard, type Dashboard } from '../../controller/dashboard/dashboard-server.ts';
import { DEFAULT_DASHBOARD_HOST } from '../../controller/dashboard/dashboard-access.ts';
import { finishedRun } from '../fixtures/finished-run.ts';

/** One HTTP answer. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function json(url: string): Promise<unknown> {
  const answer = await get(url);
  expect(answer.status, answer.body).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(answer.body);
}

/** The parts of the answers the tests read. */
const RUNS = z.object({
  runs: z.array(
    z.looseObject({
      dir: z.string(),
      counts: z.looseObject({ total: z.number() }),
      best: z.looseObject({ dot: z.string() }).nullable(),
    }),
  ),
});
const TRIALS = z.object({
  trials: z.array(
    z.looseObject({
      id: z.number(),
      status: z.string(),
      reward: z.number().nullable(),
      params: z.number().nullable(),
      finishOrder: z.number().nullable(),
    }),
  ),
});
const DETAIL = z.object({
  genotype: z.unknown(),
  epochs: z.array(z.unknown()),
  dot: z.string(),
  trial: z.unknown(),
});

const started: Dashboard[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.close();
});

async function serve(dirs: string[], token: string | null = null): Promise<Dashboard> {
  const access = { host: DEFAULT_DASHBOARD_HOST, port: 0, token };
  const dashboard = await startDashboard({ access, flags: { host: '--host', port: '--port' } });
  started.push(dashboard);
  for (const dir of dirs) dashboard.addRun({ dir });
  return dashboard;
}

const fileDigest = (dir: string): string =>
  createHash('sha256')
    .update(readFileSync(join(dir, RUN_FILE)))
    .digest('hex');

let dir = '';
beforeAll(() => {
  dir = finishedRun(12);
});

describe('dashboard endpoints over a finished run', () => {
  it('gives the overview, the trials and one trial as the store has them', async () => {
    const { url } = await serve([dir]);
    const store = openRunStore(dir, { readonly: true });
    try {
      const [best] = store.bestTrials(1);
      const { runs } = RUNS.parse(await json(`${url}api/runs`));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        run: 0,
        dir,
        strategy: 'random',
        maxTrials: 100,
        live: false,
        counts: { ...store.counts(), finished: 12, total: 12 },
        best: { trialId: best?.id, reward: best?.reward, hash: best?.hash },
      });
      expect(runs[0]?.best?.dot).toMatch(/^digraph/);

      const { trials } = TRIALS.parse(await json(`${url}api/runs/0/trials`));
      expect(trials.map((t) => t.id)).toEqual(store.trials().map((t) => t.id));
      for (const t of trials) {
        const stored = store.trial(t.id);
        expect([t.reward, t.params, t.finishOrder]).toEqual([
          stored.reward,
          stored.result?.params,
          stored.finishOrder,
        ]);
      }

      const detail = DETAIL.parse(await json(`${url}api/runs/0/trials/3`));
      expect(detail.genotype).toEqual(store.trial(3).genotype);
      expect(detail.epochs).toEqual(
        store.epochs(3).map((e) => ({
          epoch: e.epoch,
          trainLoss: e.trainLoss,
          trainAccuracy: e.trainAccuracy,
          validationLoss: e.validationLoss,
          validationAccuracy: e.validationAccuracy,
        })),
      );
      expect(detail.dot).toContain('cluster_normal');
      expect(detail.dot).toContain('cluster_reduction');
    } finally {
      store.close();
    }
  });

  it('serves several runs side by side', async () => {
    const other = finishedRun(4);
    const { url } = await serve([dir, other]);
    const { runs } = RUNS.parse(await json(`${url}api/runs`));
    expect(runs.map((r) => r.dir)).toEqual([dir, other]);
    expect(runs.map((r) => r.counts)).toMatchObject([{ total: 12 }, { total: 4 }]);
    expect(await json(`${url}api/runs/1/trials`)).toMatchObject({ trials: { length: 4 } });
  });

  it('answers unknown runs, trials and paths with 404 and a message', async () => {
    const { url } = await serve([dir]);
    for (const [path, message] of [
      ['api/runs/1', /no run 1/],
      ['api/runs/0/trials/99', /no trial 99/],
      ['api/nothing', /no endpoint/],
      ['nothing.js', /no page/],
    ] as const) {
      const answer = await get(url + path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).toMatch(message);
    }
  });

  it('is read-only: only GET and HEAD, and the run file never changes', async () => {
    const before = fileDigest(dir);
    const { url } = await serve([dir]);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await get(`${url}api/runs/0/trials`, { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers['allow']).toBe('GET, HEAD');
    }
    const head = await get(`${url}api/runs/0/trials`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
    await json(`${url}api/runs/0/trials/1`);
    expect(fileDigest(dir)).toBe(before);
  });

  it('serves the page and its libraries from a fixed map, nothing else', async () => {
    const { url } = await serve([dir]);
    const page = await get(url);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).not.toMatch(/https?:\/\//);
    for (const path of ['lib/uplot.js', 'lib/viz.js', 'app.js']) {
      const answer = await get(url + path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/javascript/);
    }
    for (const path of [
      '../package.json',
      'lib/../../package.json',
      '%2e%2e/package.json',
      'lib/',
    ]) {
      expect((await get(url + path)).status, path).toBe(404);
    }
  });

  it('answers only requests addressed to a loopback name (DNS rebinding)', async () => {
    const { url } = await serve([dir]);
    const rebound = await get(`${url}api/runs`, { headers: { host: 'attacker.example:80' } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/localhost or 127\.0\.0\.1 only/);
    const named = await get(`${url}api/runs`, { headers: { host: 'localhost' } });
    expect(named.status).toBe(200);
  });

  it('with a token, requires it on every request: Bearer, or the cookie ?token= sets', async () => {
    const token = 'a-token-of-twenty-chars';
    const { url } = await serve([dir], token);
    expect((await get(`${url}api/runs`)).status).toBe(401);
    const wrong = { authorization: 'Bearer not-the-token-at-all' };
    expect((await get(`${url}api/runs`, { headers: wrong })).status).toBe(401);
    const right = { authorization: `Bearer ${token}` };
    expect((await get(`${url}api/runs`, { headers: right })).status).toBe(200);
    expect((await get(`${url}?token=not-the-token-at-all`)).status).toBe(401);
    const opened = await get(`${url}?token=${token}&x=1`);
    expect(opened.status).toBe(303);
    expect(opened.headers['location']).toBe('/?x=1');
    const cookie = String(opened.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(opened.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect((await get(`${url}api/runs`, { headers: { cookie } })).status).toBe(200);
    // A token makes the host check unnecessary: it is what an exposed dashboard relies on.
    const elsewhere = { ...right, host: 'dashboard.example' };
    expect((await get(`${url}api/runs`, { headers: elsewhere })).status).toBe(200);
  });
});
