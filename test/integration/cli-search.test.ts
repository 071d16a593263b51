// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * nas-ctl search end to end: real trainer processes on loopback (on the backend under test), a
 * real SQLite run directory, kill -9 of nas-ctl mid-search and --resume, a trainer killed
 * mid-trial.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../controller/store/index.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

const run = promisify(execFile);
const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
const TRAINER = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;
const SMALL = [
  '--dataset',
  'synthetic:classes=4,size=16,train=192,test=32',
  '--size',
  '1@48',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '2',
  '--batch-size',
  '16',
  '--validation-size',
  '64',
];

const trainers: ChildProcess[] = [];

async function startTrainer(): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    [TRAINER, 'serve', '--port', '0', ...TEST_BACKEND_FLAG, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  trainers.push(child);
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error('trainer exited')));
  });
  return { child, address };
}

function finishedCount(dir: string): { finished: number; ids: number[]; total: number } {
  const store = openRunStore(dir);
  try {
    const trials = store.trials();
    const done = trials.filter((t) => t.status === 'succeeded' || t.status === 'failed');
    return { finished: done.length, ids: done.map((t) => t.id), total: trials.length };
  } finally {
    store.close();
  }
}

/** Trainers on the backend under test; null where it cannot load here (skipped outside CI). */
const testBackend = await loadTestBackend(TEST_BACKEND, false);

let addresses: string[] = [];
beforeAll(async () => {
  if (testBackend === null) return;
  addresses = (await Promise.all([startTrainer(), startTrainer()])).map((t) => t.address);
});
afterAll(() => {
  for (const t of trainers) t.kill('SIGKILL');
});

describe.skipIf(testBackend === null)(`nas-ctl search (trainers on ${TEST_BACKEND})`, () => {
  it('runs evolution over two trainers, persists every trial and reports the best', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-search-')), 'run');
    // A population of 3 (file) and a sample of 2 (the flag overrides the file).
    const config = join(dirname(dir), 'evolution.yaml');
    await writeFile(config, 'population: 3\nsample: 5\n');
    const { stdout } = await run(
      process.execPath,
      [
        CTL,
        'search',
        '--strategy',
        'evolution',
        '--trials',
        '6',
        '--trainers',
        addresses.join(','),
        '--run-dir',
        dir,
        '--strategy-config',
        config,
        '--sample',
        '2',
        '--max-attempts',
        '2',
        ...SMALL,
      ],
      { encoding: 'utf8' },
    );
    expect(stdout).toMatch(/best: trial \d+, reward/);
    const counts = finishedCount(dir);
    expect(counts.finished).toBe(6);
    expect(counts.total).toBe(6);
    const status = await run(process.execPath, [CTL, 'status', dir], { encoding: 'utf8' });
    expect(status.stdout).toContain('6 succeeded');
    expect(status.stdout).toContain('population 3, sample 2, identityProbability 0.05');
    expect(status.stdout).toContain('maxAttempts 2');
    const store = openRunStore(dir);
    try {
      const metas = store.trials().map((t) => t.meta as { kind: string });
      expect(metas.slice(0, 3).every((m) => m.kind === 'random')).toBe(true);
      // With two trials in flight, children start once three finished (never with population 100).
      expect(metas.filter((m) => m.kind === 'child').length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it('loses no finished trial when killed with -9, and --resume finishes the run without counting twice', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-search-')), 'run');
    const child = spawn(
      process.execPath,
      [
        CTL,
        'search',
        '--strategy',
        'rl',
        '--trials',
        '8',
        '--trainers',
        addresses.join(','),
        '--run-dir',
        dir,
        '--json',
        ...SMALL,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let finishedSeen = 0;
    await new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (
          (JSON.parse(line) as { type: string }).type === 'trial-finished' &&
          ++finishedSeen === 3
        ) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const before = finishedCount(dir);
    expect(before.finished).toBeGreaterThanOrEqual(3);
    await run(
      process.execPath,
      [CTL, 'search', '--resume', dir, '--trainers', addresses.join(',')],
      { encoding: 'utf8' },
    );
    const after = finishedCount(dir);
    expect(after.total).toBe(8);
    expect(after.finished).toBe(8);
    for (const id of before.ids) expect(after.ids).toContain(id);
  });

  it('re-dispatches a trial whose trainer is killed mid-trial, and counts it once', async () => {
    const victim = await startTrainer();
    const survivor = addresses[0]!;
    const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-search-')), 'run');
    const slow = [
      '--dataset',
      'synthetic:classes=4,size=16,train=192,test=32',
      '--size',
      '1@48',
      '--epochs',
      '1',
      '--steps-per-epoch',
      '30',
      '--batch-size',
      '16',
      '--validation-size',
      '64',
    ];
    const child = spawn(
      process.execPath,
      [
        CTL,
        'search',
        '--strategy',
        'random',
        '--trials',
        '2',
        '--trainers',
        `${victim.address},${survivor}`,
        '--run-dir',
        dir,
        '--json',
        ...slow,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const events: { type: string; trialId?: number; trainer?: string }[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { type: string; trainer?: string };
      events.push(event);
      if (event.type === 'trial-started' && event.trainer === victim.address)
        setTimeout(() => victim.child.kill('SIGKILL'), 3000);
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    const finished = events.filter((e) => e.type === 'trial-finished');
    expect(finished).toHaveLength(2);
    expect(new Set(finished.map((e) => e.trialId)).size).toBe(2);
    const store = openRunStore(dir);
    const trials = store.trials();
    store.close();
    expect(trials.every((t) => t.status === 'succeeded' && t.trainer === survivor)).toBe(true);
    const startedOnVictim = events.filter(
      (e) => e.type === 'trial-started' && e.trainer === victim.address,
    );
    expect(startedOnVictim.length).toBeGreaterThan(0);
  });
});
