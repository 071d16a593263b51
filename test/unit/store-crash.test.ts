import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { RUN_FILE, openRunStore } from '../../controller/store/index.ts';

const WRITER = new URL('../fixtures/store-crash-writer.ts', import.meta.url).pathname;

function startWriter(mode: 'once' | 'loop' | 'turn', dir: string) {
  return spawn(process.execPath, ['--import', 'tsx', WRITER, mode, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function exited(child: ReturnType<typeof startWriter>): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

function integrity(dir: string): unknown {
  const db = new Database(join(dir, RUN_FILE), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

describe('a run store killed with SIGKILL', () => {
  it('keeps a trial that finished just before the kill', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-crash-')), 'run');
    const child = startWriter('once', dir);
    expect(await exited(child)).toBe('SIGKILL');
    const store = openRunStore(dir);
    try {
      expect(store.trial(1)).toMatchObject({ status: 'succeeded', reward: 0.75, finishOrder: 1 });
      expect(store.epochs(1)).toHaveLength(2);
      expect(store.unfinishedTrials().map((t) => [t.id, t.status])).toEqual([
        [2, 'running'],
        [3, 'queued'],
      ]);
    } finally {
      store.close();
    }
    expect(integrity(dir)).toBe('ok');
  });

  // The kill lands wherever the writer happens to be after its 120th report: between writes, or
  // inside a transaction of a later trial (or turn).
  it.each(['loop', 'turn'] as const)(
    'loses none of the trials it reported finished when killed mid-stream (%s commits)',
    async (mode) => {
      const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-crash-')), 'run');
      const child = startWriter(mode, dir);
      const acknowledged: number[] = [];
      const target = 120;
      for await (const line of createInterface({ input: child.stdout })) {
        acknowledged.push(Number(line));
        if (acknowledged.length === target) child.kill('SIGKILL');
      }
      expect(await exited(child)).toBe('SIGKILL');
      expect(integrity(dir)).toBe('ok');
      const store = openRunStore(dir, { readonly: true });
      try {
        const finished = store.finishedTrials();
        const ids = new Set(finished.map((t) => t.id));
        expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
        expect(finished.map((t) => t.finishOrder)).toEqual(finished.map((_, i) => i + 1));
        expect(store.unfinishedTrials().length).toBeLessThanOrEqual(1);
        expect(store.latestSnapshot()?.finishedTrials).toBeGreaterThanOrEqual(target - 10);
      } finally {
        store.close();
      }
    },
  );
});
