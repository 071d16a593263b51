/**
 * The live progress of `nas-ctl search` and `nas-ctl train` as people and logs see it: run under a
 * pseudo-terminal (util-linux `script`) with the captured bytes rendered by a headless xterm, and
 * with pipes, where every line is timestamped. Real local trainer processes, a tiny synthetic dataset.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { renderScreen, stripAnsi } from '../fixtures/terminal-screen.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

const run = promisify(execFile);
const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
const SCRIPT = '/usr/bin/script';
const COLS = 120;
const ROWS = 40;
const TINY = [
  '--dataset',
  'synthetic:classes=4,size=16,train=192,test=32',
  '--epochs',
  '2',
  '--steps-per-epoch',
  '3',
  '--batch-size',
  '16',
  '--validation-size',
  '64',
  ...TEST_BACKEND_FLAG,
];
const SEARCH = ['search', '--strategy', 'random', '--trials', '2', '--local-trainers', '1'];
const SEARCH_TINY = [...SEARCH, '--size', '1@48', ...TINY];
const TRAIN_TINY = ['train', '--genotype', 'nasnet-a', '--size', '1@48', ...TINY];
/** What a line of the output must never show: an unfilled template token or a broken number. */
const BROKEN = /\{[a-z_]+\}|NaN|undefined|Infinity|NFs|LLs/;
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /;

/** Each test starts a trainer process and trains; a loaded 2-core machine needs minutes. */
const SLOW = 240_000;

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

/** Runs nas-ctl in a `COLS` x `ROWS` pseudo-terminal; resolves with everything it wrote there. */
async function inTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, CTL, ...args].map(quote).join(' ');
  const { stdout } = await run(
    SCRIPT,
    ['-q', '-e', '-c', `stty cols ${COLS} rows ${ROWS}; exec ${command}`, '/dev/null'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

async function scratch(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cellsearch-progress-')), name);
}

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null || !existsSync(SCRIPT))('progress in a terminal', () => {
  it(
    'nas-ctl search draws a filled status line and the running trials, and leaves the finished ones',
    async () => {
      const bytes = await inTerminal([...SEARCH_TINY, '--run-dir', await scratch('run')]);
      const frames = stripAnsi(bytes);
      expect(frames).not.toMatch(BROKEN);
      // Frames drawn while trials ran: a running trial with its epoch, an estimate once one finished.
      expect(frames).toMatch(/trial \d+ +epoch [12]\/2/);
      expect(frames).toMatch(/search 1\/2 \(\d+\.\d+%\) .*\| ETA \d+s/);
      const screen = (await renderScreen(bytes, COLS, ROWS)).join('\n');
      expect(screen).not.toMatch(BROKEN);
      expect(screen.match(/^trial \d+ succeeded/gm)).toHaveLength(2);
      expect(screen).toMatch(
        /^search 2\/2 \(100\.00%\) \| best \d+\.\d+% \| \d+\.\d trials\/min \| trainers 0\/1 busy \| elapsed \d+s/m,
      );
      // The live lines of running trials are gone once the search ended.
      expect(screen).not.toMatch(/^ *trial \d+ +epoch/m);
      expect(screen).toMatch(/^best: trial \d+, reward \d+\.\d+%/m);
    },
    SLOW,
  );

  it(
    'nas-ctl train draws one bar over the whole training with epoch, loss, accuracy, elapsed and ETA',
    async () => {
      const bytes = await inTerminal([...TRAIN_TINY, '--out', await scratch('model')]);
      const frames = stripAnsi(bytes);
      expect(frames).not.toMatch(BROKEN);
      const bars = frames.split('\n').filter((l) => l.startsWith('training ['));
      expect(bars.length).toBeGreaterThan(0);
      const pattern =
        /^training \[[#-]+\] +(\d+\.\d+)% \| epoch [12]\/2 \| step (\d)\/6 \| loss \d+\.\d{4} acc \d+\.\d+% .*\| elapsed \d+s \| ETA \d+s$/;
      for (const bar of bars) expect(bar).toMatch(pattern);
      const steps = bars.map((b) => Number(pattern.exec(b)?.[2]));
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(frames).toMatch(/epoch 2\/2 \| step [4-6]\/6/);
      const screen = (await renderScreen(bytes, COLS, ROWS)).join('\n');
      expect(screen).not.toMatch(BROKEN);
      expect(screen).toMatch(/^epoch 1\/2 +train loss/m);
      expect(screen).toMatch(/^epoch 2\/2 +train loss/m);
      expect(screen).toMatch(/^done in \d+\.\ds: best validation accuracy/m);
    },
    SLOW,
  );
});

describe.skipIf(testBackend === null)('progress in a log (no terminal)', () => {
  it(
    'nas-ctl search writes timestamped trial lines and status lines with the same facts',
    async () => {
      const result = await nasCtl(...SEARCH_TINY, '--run-dir', await scratch('run'));
      expect(result.code).toBe(0);
      const trials = result.stdout.split('\n').filter((l) => / trial \d+ succeeded/.test(l));
      expect(trials).toHaveLength(2);
      for (const line of trials) expect(line).toMatch(STAMP);
      const status = result.stderr.split('\n').filter((l) => / search \d\/2 /.test(l));
      expect(status.length).toBeGreaterThanOrEqual(3);
      for (const line of status) {
        expect(line).toMatch(STAMP);
        expect(line).not.toMatch(BROKEN);
        expect(line).toMatch(/best (\d+\.\d+%|-) \| \d+\.\d trials\/min \| trainers \d\/1 busy/);
        expect(line).toMatch(/elapsed \d+s/);
      }
      expect(status.at(-1)).toMatch(/ search 2\/2 \(100\.00%\) /);
    },
    SLOW,
  );

  it(
    'nas-ctl train writes a timestamped line per epoch with elapsed time and ETA',
    async () => {
      const result = await nasCtl(...TRAIN_TINY, '--out', await scratch('model'));
      expect(result.code).toBe(0);
      const epochs = result.stdout.split('\n').filter((l) => / epoch \d\/2 /.test(l));
      expect(epochs).toHaveLength(2);
      for (const line of epochs) {
        expect(line).toMatch(STAMP);
        expect(line).not.toMatch(BROKEN);
        expect(line).toMatch(/train loss \d+\.\d{4} acc \d+\.\d+%.*elapsed \d+s.*ETA \d+s/);
      }
    },
    SLOW,
  );
});
