/**
 * The search view and summary show what trainers send (reasons, addresses, discovery messages)
 * with its control characters escaped: a failure reason holding `ESC ]0;…BEL` or `ESC [2J` neither
 * retitles nor clears the user's terminal.
 */
import { describe, expect, it } from 'vitest';
import type { SearchOrFleetEvent } from '../../controller/search/search-events.ts';
import { createSearchView } from '../../controller/cli/search-view.ts';
import { summarizeSearch } from '../../controller/cli/search-summary.ts';
import { LOAD, START, T0, finished, terminal } from '../fixtures/search-view-events.ts';

const HOSTILE = '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202eevil\u007f';
/** Any control character: C0, DEL, C1, bidi overrides and isolates. */
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const TRAINER = `t${HOSTILE}:1`;
const ESC = String.fromCharCode(0x1b);

const EVENTS: readonly SearchOrFleetEvent[] = [
  { type: 'trainer-joined', trainer: TRAINER, capacity: 1 },
  { type: 'trial-started', trialId: 1, trainer: TRAINER, attempt: 1 },
  { type: 'trial-retry', trialId: 1, trainer: TRAINER, reason: `trainer ${TRAINER}: ${HOSTILE}` },
  { type: 'trial-started', trialId: 1, trainer: TRAINER, attempt: 2 },
  finished(1, null, `out of memory ${HOSTILE}\nstack`),
  { type: 'trainer-unreachable', trainer: TRAINER, reason: HOSTILE },
  { type: 'trainer-left', trainer: TRAINER, running: 0 },
  { type: 'discovery-warning', message: HOSTILE },
];

describe('the search view of hostile trainers', () => {
  for (const mode of ['lines', 'none'] as const) {
    it(`prints no control but line ends (--progress ${mode})`, () => {
      const { sink, streams } = terminal();
      const view = createSearchView({ ...START, mode, streams, now: () => T0 });
      for (const event of EVENTS) view.update(event, LOAD);
      view.stop();
      expect(sink.text.replace(/\n/g, '')).not.toMatch(CONTROL);
      expect(sink.text).toContain('\\x1b]0;PWNED\\x07\\x1b[2J');
    });
  }

  it('on a terminal, writes only its own cursor movements', () => {
    const { sink, streams } = terminal();
    const view = createSearchView({ ...START, mode: 'tty', streams, now: () => T0 });
    for (const event of EVENTS.slice(0, 2)) view.update(event, LOAD);
    for (const event of EVENTS.slice(2)) view.update(event, LOAD);
    view.stop();
    // The live region redraws with CR, `ESC [nA` (cursor up) and `ESC [J` (erase below), nothing else.
    const own = sink.text.replace(new RegExp(`\r|\n|${ESC}\\[\\d*A|${ESC}\\[J`, 'g'), '');
    expect(own).not.toMatch(CONTROL);
  });

  it('summarises failure reasons without their controls', () => {
    const counts = { queued: 0, running: 0, succeeded: 0, failed: 2, cancelled: 0 };
    const summary = summarizeSearch(counts, [`trainer ${TRAINER}: ${HOSTILE}`, HOSTILE]);
    for (const line of summary.lines) expect(line).not.toMatch(CONTROL);
    expect(summary.lines[1]).toContain('2 x \\x1b]0;PWNED');
  });
});
