/**
 * The dashboard's event stream over a run a writer (committing per event-loop turn, as a search
 * does) changes while a page listens: each committed change arrives within a second, the live
 * search's trainers come with it, and the writer is never held up by the dashboard's reads.
 */
import { mkdtempSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { startDashboard, type Dashboard } from '../../controller/dashboard/dashboard-server.ts';
import { candidate, fabricatedResult, testConfig } from '../fixtures/run-store-fixtures.ts';

const CHANGE = z.object({
  run: z.number(),
  overview: z.looseObject({
    counts: z.looseObject({ succeeded: z.number(), running: z.number() }),
    trainers: z.array(z.looseObject({ address: z.string(), state: z.string() })),
  }),
  trials: z.array(z.looseObject({ id: z.number(), status: z.string() })),
});
type Change = z.infer<typeof CHANGE>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The `change` events of an open event stream, as they arrive, with their arrival times. */
function listen(url: string): Promise<{ changes: { at: number; change: Change }[] }> {
  return new Promise((resolve, reject) => {
    const changes: { at: number; change: Change }[] = [];
    get(`${url}api/events`, (res: IncomingMessage) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: change$/m.test(block) && data !== undefined)
            changes.push({ at: Date.now(), change: CHANGE.parse(JSON.parse(data)) });
        }
      });
      cleanups.push(() => res.destroy());
      resolve({ changes });
    }).on('error', reject);
  });
}

async function until<T>(find: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs `write` on `store` and resolves when it is committed, with the time it was. */
function committed(store: RunStore, write: () => void): Promise<number> {
  write();
  return new Promise((resolve) => store.afterCommit(() => resolve(Date.now())));
}

describe('dashboard live updates', () => {
  it('pushes each committed change of a live run within a second', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-live-')), 'run');
    const store = createRunStore(dir, testConfig('random', 2), { commit: 'turn' });
    cleanups.push(() => store.close());
    const access = { host: '127.0.0.1', port: 0, token: null };
    const dashboard: Dashboard = await startDashboard({
      access,
      flags: { host: '--host', port: '--port' },
    });
    cleanups.push(() => dashboard.close());
    const pool = [
      { address: '127.0.0.1:7001', running: 1, capacity: 2, down: false },
      { address: '127.0.0.1:7002', running: 0, capacity: 1, down: true },
      // Left the fleet (no longer resolved), finishing its trial.
      { address: '127.0.0.1:7003', running: 1, capacity: 1, down: false, draining: true },
    ];
    dashboard.addRun({ dir, liveTrainers: () => pool });
    const { changes } = await listen(dashboard.url);
    await new Promise((r) => setTimeout(r, 300));

    let id = 0;
    const startedAt = await committed(store, () => {
      id = store.trialQueued(candidate(1));
      store.trialStarted(id, '127.0.0.1:7001');
    });
    const running = await until(
      () => changes.find((c) => c.change.trials.some((t) => t.id === id && t.status === 'running')),
      3_000,
    );
    expect(running.change.overview.counts.running).toBe(1);
    expect(running.change.overview.trainers.map((t) => [t.address, t.state])).toEqual([
      ['127.0.0.1:7001', 'busy'],
      ['127.0.0.1:7002', 'down'],
      ['127.0.0.1:7003', 'draining'],
    ]);

    const writeStart = performance.now();
    const finishedAt = await committed(store, () =>
      store.trialFinished(id, {
        status: 'succeeded',
        reward: 0.7,
        reason: '',
        result: fabricatedResult(0.7),
      }),
    );
    const writeMs = performance.now() - writeStart;
    const finished = await until(
      () =>
        changes.find((c) => c.change.trials.some((t) => t.id === id && t.status === 'succeeded')),
      3_000,
    );
    expect(finished.change.overview.counts.succeeded).toBe(1);
    const latencies = [running.at - startedAt, finished.at - finishedAt];
    expect(Math.max(...latencies), `latencies ${latencies.join(', ')} ms`).toBeLessThan(1_000);
    expect(writeMs, 'the writer was held up').toBeLessThan(500);
  });
});
