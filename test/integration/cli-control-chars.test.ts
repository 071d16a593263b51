/**
 * Nothing from outside reaches a terminal or a file raw: a run whose trial reason, trainer address,
 * run directory and settings hold terminal escapes (`ESC ]0;…BEL` retitles a terminal, `ESC [2J`
 * clears it), C1 controls and bidi overrides, shown by every report command. Each output may hold
 * the line ends its format uses (LF; CRLF in CSV) and no other control character.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRunStore } from '../../controller/store/index.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { candidate, fabricatedResult, testConfig } from '../fixtures/run-store-fixtures.ts';

const HOSTILE = '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202eevil\u007f';
/** Any control character: C0, DEL, C1, bidi overrides and isolates. */
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

let root = '';
let run = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-controls-'));
  run = join(root, `run${HOSTILE}`);
  let t = Date.UTC(2025, 0, 1);
  const store = createRunStore(run, testConfig('random', 3), { now: () => (t += 30_000) });
  const ok = store.trialQueued(candidate(1));
  store.trialStarted(ok, `trainer${HOSTILE}:50051`);
  const result = fabricatedResult(0.7, 1_000_000);
  store.trialFinished(ok, { status: 'succeeded', reward: 0.7, reason: '', result });
  const bad = store.trialQueued(candidate(2));
  store.trialStarted(bad, `trainer${HOSTILE}:50052`);
  store.trialFinished(bad, {
    status: 'failed',
    reward: null,
    reason: `trainer x: out of memory ${HOSTILE}\nsecond line\tend`,
    result: null,
  });
  store.close();
});

/** `text` without the line ends its format uses. */
function expectNoControls(text: string, lineEnd: RegExp = /\n/g): void {
  const body = text.replace(lineEnd, '');
  expect(body).not.toMatch(CONTROL);
  expect(text.length).toBeGreaterThan(0);
}

describe('reports of a run holding control characters', () => {
  it('status shows the escapes, not the controls', async () => {
    const out = await nasCtl('status', run);
    expect(out.code).toBe(0);
    expectNoControls(out.stdout);
    expect(out.stdout).toContain('\\x1b]0;PWNED\\x07\\x1b[2J');
    expect(out.stdout).toContain('\\u202eevil\\x7f');
  });

  it('status --json escapes every control and still parses to the stored values', async () => {
    const out = await nasCtl('status', run, '--json');
    expect(out.code).toBe(0);
    expectNoControls(out.stdout);
    const status = JSON.parse(out.stdout) as { dir: string };
    expect(status.dir).toBe(run);
  });

  it('best, as a table, as JSON and as DOT', async () => {
    for (const flags of [[], ['--json'], ['--dot']]) {
      const out = await nasCtl('best', run, ...flags);
      expect(out.code, out.stderr).toBe(0);
      expectNoControls(out.stdout);
    }
  });

  it('the trials CSV', async () => {
    const out = await nasCtl('export', run, '--trials-csv', '-');
    expect(out.code, out.stderr).toBe(0);
    expectNoControls(out.stdout, /\r\n/g);
    expect(out.stdout).toContain('out of memory \\x1b]0;PWNED');
  });

  it('the compare SVG and its CSV', async () => {
    const svg = join(root, 'compare.svg');
    const csv = join(root, 'compare.csv');
    const out = await nasCtl('compare', run, '--out', svg, '--csv', csv, '--title', HOSTILE);
    expect(out.code, out.stderr).toBe(0);
    expectNoControls(await readFile(svg, 'utf8'));
    expectNoControls(await readFile(csv, 'utf8'));
  });

  it('the DOT of a genotype file whose name holds controls', async () => {
    const file = join(root, `cell${HOSTILE}.json`);
    await writeFile(file, JSON.stringify(NASNET_A));
    const out = await nasCtl('genotype', 'show', file, '--dot');
    expect(out.code, out.stderr).toBe(0);
    expectNoControls(out.stdout);
    expect(out.stdout).toContain('\\x1b]0;PWNED');
  });
});
