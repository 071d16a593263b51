/**
 * The chaos campaign's hostile trainer tells lies the controller must catch: every answer it marks
 * invalid fails the controller's own result check (controller/search/result-check.ts) on exactly
 * one field, and every other answer passes it, so that the campaign's invariant (no lie stored as
 * a reward) tests that check and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { checkTrialResult } from '../../controller/search/result-check.ts';
import { printable } from '../../shared/printable.ts';
import {
  HOSTILE_CONTROLS,
  HOSTILE_KINDS,
  HOSTILE_ORDER,
  HOSTILE_TEXT,
  hostileAnswer,
  mostAnswers,
  type HostileKindName,
} from '../../scripts/chaos/hostile-answers.ts';
import { SMALL_TRIAL } from '../../scripts/chaos/trial-requests.ts';
import { rawControls } from '../../scripts/chaos/ctl-command.ts';

describe('HOSTILE_KINDS', () => {
  it.each(HOSTILE_ORDER)(
    '%s: the controller refuses it exactly when it is marked invalid',
    (kind) => {
      const { invalid, answer } = HOSTILE_KINDS[kind];
      const sent = answer(SMALL_TRIAL);
      if (sent.kind === 'error') {
        expect(invalid).toBe(false);
        expect(sent.details).toBe(HOSTILE_TEXT);
        return;
      }
      expect(checkTrialResult(sent.result, SMALL_TRIAL).ok).toBe(!invalid);
    },
  );

  it('has numbers that cannot be true and text that acts on a terminal', () => {
    const invalid = HOSTILE_ORDER.filter((k) => HOSTILE_KINDS[k].invalid);
    expect(invalid.length).toBeGreaterThanOrEqual(4);
    expect(HOSTILE_ORDER.length - invalid.length).toBeGreaterThanOrEqual(2);
  });
});

describe('hostileAnswer', () => {
  const answers = (round: number): HostileKindName[] =>
    Array.from({ length: 12 }, (_, i) => hostileAnswer(round, i));
  const escapes = HOSTILE_ORDER.filter((k) => !HOSTILE_KINDS[k].invalid);

  it('sends every escape first, then only invalid numbers: the trainer must be left out', () => {
    for (const round of [0, 1, 7]) {
      const sent = answers(round);
      expect(sent.slice(0, escapes.length)).toEqual(escapes);
      const lies = sent.slice(escapes.length);
      expect(lies.every((k) => HOSTILE_KINDS[k].invalid)).toBe(true);
      expect(mostAnswers(3)).toBe(escapes.length + 3);
    }
  });

  it('starts the lies at another kind each round, so rounds together send every kind', () => {
    const firstLies = [0, 1, 2, 3, 4].map((round) => hostileAnswer(round, escapes.length));
    expect(new Set(firstLies).size).toBe(5);
  });
});

describe('HOSTILE_TEXT', () => {
  it('holds every control the campaign looks for, and printable() leaves none of them raw', () => {
    expect(rawControls(HOSTILE_TEXT, HOSTILE_CONTROLS)).toEqual(HOSTILE_CONTROLS);
    expect(rawControls(printable(HOSTILE_TEXT), HOSTILE_CONTROLS)).toEqual([]);
  });
});
