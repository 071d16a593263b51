/**
 * The chaos campaign's verdict and table: it passes only when every fault was injected as often as
 * asked and every round held. A campaign whose rounds were missed (the search ended before the
 * fault) is short and fails, however many others held: it tested less than it says.
 */
import { describe, expect, it } from 'vitest';
import type { RoundOutcome } from '../../scripts/chaos/fault.ts';
import {
  campaignVerdict,
  formatTable,
  rowCounts,
  type FaultRow,
} from '../../scripts/chaos/report.ts';
import type { RoundRecord } from '../../scripts/chaos/round-retry.ts';

const held = (seconds?: number): RoundOutcome => ({
  kind: 'held',
  note: 'ok',
  ...(seconds === undefined ? {} : { seconds }),
});
const missed = (note = 'ended before the SIGINT'): RoundOutcome => ({ kind: 'missed', note });
const failed: RoundOutcome = { kind: 'failed', note: 'trial 3 reported finished twice' };

const round = (outcome: RoundOutcome, misses = 0): RoundRecord => ({
  outcome,
  missed: Array.from({ length: misses + (outcome.kind === 'missed' ? 1 : 0) }, () => missed()),
});

const row = (name: string, asked: number, rounds: RoundRecord[], measure?: string): FaultRow => ({
  name,
  asked,
  rounds,
  ...(measure === undefined ? {} : { measure }),
});

describe('campaignVerdict', () => {
  it('exits 0 when every fault was tried as often as asked and held, misses retried or not', () => {
    const verdict = campaignVerdict([
      row('nas-ctl kill -9 + resume', 2, [round(held()), round(held())]),
      row('nas-ctl SIGINT + resume', 2, [round(held(), 2), round(held(), 1)]),
    ]);
    expect(verdict).toEqual({ code: 0, reasons: [] });
  });

  it('exits non-zero when a fault was tried fewer times than asked, even with nothing failed', () => {
    // The finding of the issue: 9 of 18 rounds missed, SIGINT + resume tried 0 times, exit 0.
    const verdict = campaignVerdict([
      row('nas-ctl kill -9 + resume', 3, [round(held()), round(held()), round(held())]),
      row('nas-ctl SIGINT + resume', 3, [
        round(missed(), 3),
        round(missed(), 3),
        round(missed(), 3),
      ]),
    ]);
    expect(verdict.code).toBe(1);
    expect(verdict.reasons).toEqual([
      'nas-ctl SIGINT + resume: tried 0 times, 3 asked (ended before the SIGINT)',
    ]);
  });

  it('exits non-zero when one round of one fault never got injected', () => {
    const verdict = campaignVerdict([row('disk full', 2, [round(held()), round(missed(), 3)])]);
    expect(verdict.code).toBe(1);
    expect(verdict.reasons[0]).toMatch(/^disk full: tried 1 times, 2 asked/);
  });

  it('exits non-zero when a round failed, naming the fault', () => {
    const verdict = campaignVerdict([row('trainer kill -9', 2, [round(held()), round(failed)])]);
    expect(verdict).toEqual({
      code: 1,
      reasons: ['trainer kill -9: 1 of 2 tried rounds failed'],
    });
  });
});

describe('formatTable', () => {
  it('shows asked, tried, held, failed and missed attempts for each fault', () => {
    const table = formatTable([
      row(
        'nas-ctl SIGINT + resume',
        3,
        [round(held(0.4)), round(held(1.2), 2), round(missed(), 3)],
        'exit after SIGINT',
      ),
      row('trainer kill -9', 1, [round(failed)]),
    ]);
    const [header, rule, sigint, kill] = table.split('\n');
    expect(header?.split(/\s+/)).toEqual([
      'fault',
      'asked',
      'tried',
      'held',
      'failed',
      'missed',
      'notes',
    ]);
    expect(rule).toMatch(/^-+ {2}-+/);
    expect(sigint).toMatch(
      /^nas-ctl SIGINT \+ resume\s+3\s+2\s+2\s+0\s+6\s+exit after SIGINT median 400 ms, max 1\.2 s; 1 round\(s\) never injected: ended before the SIGINT$/,
    );
    expect(kill).toMatch(
      /^trainer kill -9\s+1\s+1\s+0\s+1\s+0\s+e\.g\. trial 3 reported finished twice$/,
    );
  });

  it('keeps a cell short: a long note is cut, the log above the table has it whole', () => {
    const long = missed('x'.repeat(500));
    const table = formatTable([row('hostile trainer', 1, [{ outcome: long, missed: [long] }])]);
    expect(table.split('\n')[2]?.length).toBeLessThan(260);
    expect(table).toContain('...');
  });
});

describe('rowCounts', () => {
  it('counts a round retried after misses as tried once, its misses apart', () => {
    expect(rowCounts(row('f', 2, [round(held(), 2), round(missed(), 3)]))).toEqual({
      tried: 1,
      held: 1,
      failed: 0,
      missed: 6,
      neverInjected: 1,
    });
  });
});
