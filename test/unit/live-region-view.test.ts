/**
 * The pieces under both live views: the in-place block (checked on a headless xterm: what is left
 * on screen after it grows, shrinks, prints above and clears), the duration and width formats, and
 * how `--progress auto` picks a rendering.
 */
import { describe, expect, it } from 'vitest';
import { LiveRegion } from '../../controller/cli/live-region.ts';
import {
  fitWidth,
  formatDuration,
  formatTimestamp,
  packParts,
} from '../../controller/cli/progress-format.ts';
import { resolveProgressMode } from '../../controller/cli/progress-mode.ts';
import { printNote } from '../../controller/cli/progress-notes.ts';
import { renderScreen } from '../fixtures/terminal-screen.ts';

function terminal(columns: number) {
  const sink = { text: '' };
  const stream = () => ({ columns, write: (t: string) => ((sink.text += t), true) });
  return { sink, out: stream(), err: stream() };
}

describe('live region', () => {
  it('redraws in place as it grows and shrinks, with lines printed above it', async () => {
    const { sink, out, err } = terminal(40);
    const region = new LiveRegion(err);
    region.draw(['status 1']);
    region.draw(['status 2', '  trial 1', '  trial 2']);
    region.printAbove(out, 'trial 0 succeeded');
    region.printAbove(err, 'a note on stderr');
    region.draw(['status 3']);
    expect(await renderScreen(sink.text, 40, 10)).toEqual([
      'trial 0 succeeded',
      'a note on stderr',
      'status 3',
    ]);
    region.clear();
    expect(await renderScreen(sink.text, 40, 10)).toEqual([
      'trial 0 succeeded',
      'a note on stderr',
    ]);
  });

  it('cuts lines wider than the terminal, so the block never wraps', async () => {
    const { sink, err } = terminal(20);
    const region = new LiveRegion(err);
    region.draw(['x'.repeat(50), 'y'.repeat(50)]);
    region.draw(['short']);
    expect(await renderScreen(sink.text, 20, 10)).toEqual(['short']);
  });

  it('counts terminal cells, not UTF-16 units: wide characters and emoji never wrap the block', async () => {
    // A run directory or a trainer's host name may hold CJK text or emoji: two cells each.
    const { sink, err } = terminal(20);
    const region = new LiveRegion(err);
    region.draw(['runs/実験-検索-ニューラル-アーキテクチャ', '🧪'.repeat(30), 'trial 1']);
    region.draw(['short']);
    expect(await renderScreen(sink.text, 20, 10)).toEqual(['short']);
  });

  it('never cuts a character in half', () => {
    const cut = fitWidth('a' + '🧪'.repeat(20), 12);
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    expect(cut).not.toMatch(loneSurrogate);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('draws a stderr note routed through it above the block, leaving no stale line', async () => {
    const { sink, err } = terminal(40);
    const region = new LiveRegion(err);
    region.draw(['status 1', '  trial 1']);
    const unroute = region.routeNotes();
    try {
      printNote('\nnas-ctl: SIGINT: stopping\n');
      region.draw(['status 2', '  trial 1']);
    } finally {
      unroute();
    }
    expect(await renderScreen(sink.text, 40, 10)).toEqual([
      '',
      'nas-ctl: SIGINT: stopping',
      'status 2',
      '  trial 1',
    ]);
  });

  it('writes nothing when the block did not change', () => {
    const { sink, err } = terminal(40);
    const region = new LiveRegion(err);
    region.draw(['same']);
    const before = sink.text;
    region.draw(['same']);
    expect(sink.text).toBe(before);
  });
});

describe('progress formats', () => {
  it('shows durations in at most two units, and unknown ones as -', () => {
    const cases: [number | null, string][] = [
      [0, '0s'],
      [-5000, '0s'],
      [42_400, '42s'],
      [185_000, '3m05s'],
      [3_720_000, '1h02m'],
      [183_600_000, '2d03h'],
      [Number.NaN, '-'],
      [Number.POSITIVE_INFINITY, '-'],
      [null, '-'],
    ];
    for (const [ms, text] of cases) expect(formatDuration(ms)).toBe(text);
  });

  it('stamps log lines in UTC to the second', () => {
    expect(formatTimestamp(Date.UTC(2026, 11, 3, 14, 2, 11, 999))).toBe('2026-12-03T14:02:11Z');
  });

  it('fits a line one cell short of the width and packs parts into lines that fit', () => {
    expect(fitWidth('abcdefghij', 8)).toBe('abcdef…');
    expect(fitWidth('abc', undefined)).toBe('abc');
    expect(packParts(['aaaa', 'bbbb', 'cccc'], 12)).toEqual(['aaaa | bbbb', 'cccc']);
    expect(packParts(['a-very-long-part', 'b'], 8)).toEqual(['a-very-long-part', 'b']);
  });
});

describe('--progress', () => {
  it('auto draws in place on a terminal and writes lines otherwise; a choice is kept', () => {
    expect(resolveProgressMode('auto', true)).toBe('tty');
    expect(resolveProgressMode('auto', false)).toBe('lines');
    expect(resolveProgressMode(undefined, false)).toBe('lines');
    expect(resolveProgressMode('none', true)).toBe('none');
    expect(resolveProgressMode('tty', false)).toBe('tty');
  });
});
