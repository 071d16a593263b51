/**
 * What the campaign's hostile trainer answers, one entry per kind of lie: numbers that cannot be
 * true (an accuracy of 5, a NaN loss, an epoch out of order, a network size that is not the
 * request's), and text built to act on a terminal (ESC sequences that retitle and clear it, BEL, an
 * 8-bit CSI, a bidi override) in a failure's reason, a gRPC error's details and its own names.
 */
import { status } from '@grpc/grpc-js';
import { expectedSize } from '../../controller/search/result-check.ts';
import type { EpochMetrics, TrialRequest, TrialResult } from '../../shared/trial.ts';

/** Text that would retitle and clear a terminal, ring it, start a CSI and reverse what follows. */
export const HOSTILE_TEXT = 'ok\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b1m\u202edesrever';

/** The characters of {@link HOSTILE_TEXT} that must never reach nas-ctl's output raw. */
export const HOSTILE_CONTROLS: readonly string[] = ['\u001b', '\u0007', '\u009b', '\u202e'];

/** One answer: a result to stream (after a started event), or a gRPC error to end the call with. */
export type HostileAnswer =
  | { readonly kind: 'result'; readonly result: TrialResult }
  | { readonly kind: 'error'; readonly code: status; readonly details: string };

/** Whether the controller must refuse the answer's numbers (a failed trial naming the trainer). */
export interface HostileKind {
  readonly invalid: boolean;
  answer(request: TrialRequest): HostileAnswer;
}

/** Every kind of lie, in the order the trainer cycles through them (from a round's offset). */
export const HOSTILE_KINDS = {
  'escaped reason': { invalid: false, answer: (r) => failed(r, `failed: ${HOSTILE_TEXT}`) },
  'accuracy 5': { invalid: true, answer: (r) => lie(r, { validationAccuracy: 5 }) },
  'escaped error': {
    invalid: false,
    answer: () => ({ kind: 'error', code: status.INTERNAL, details: HOSTILE_TEXT }),
  },
  'NaN loss': { invalid: true, answer: (r) => lie(r, { trainLoss: Number.NaN }) },
  'epoch out of order': { invalid: true, answer: (r) => lie(r, { epoch: 7 }) },
  'params not the request': {
    invalid: true,
    answer: (r) => {
      const honest = succeeded(r, {});
      return { kind: 'result', result: { ...honest, params: honest.params + 1 } };
    },
  },
  'negative seconds': {
    invalid: true,
    answer: (r) => ({ kind: 'result', result: { ...succeeded(r, {}), seconds: -1 } }),
  },
} as const satisfies Record<string, HostileKind>;

/** One kind's name. */
export type HostileKindName = keyof typeof HOSTILE_KINDS;

/** Every kind, in the table's order. */
export const HOSTILE_ORDER = Object.keys(HOSTILE_KINDS).filter(
  (k): k is HostileKindName => k in HOSTILE_KINDS,
);

const ESCAPES = HOSTILE_ORDER.filter((k) => !HOSTILE_KINDS[k].invalid);
const LIES = HOSTILE_ORDER.filter((k) => HOSTILE_KINDS[k].invalid);

/**
 * The kind of answer number `index` (0, 1, ...) of round `round`'s hostile trainer: every escape
 * first (so that each round shows its text to nas-ctl), then only invalid numbers, from an offset
 * that moves with the round, so that the trainer sends them in a row and must be left out.
 */
export function hostileAnswer(round: number, index: number): HostileKindName {
  if (index < ESCAPES.length) return ESCAPES[index] ?? 'escaped reason';
  return LIES[(round + index - ESCAPES.length) % LIES.length] ?? 'accuracy 5';
}

/** How many answers a trainer gets before it must be left out: the escapes, then `suspectAfter` lies. */
export function mostAnswers(suspectAfter: number): number {
  return ESCAPES.length + suspectAfter;
}

/** A succeeded result whose every epoch has `change` applied (the rest is honest). */
function lie(request: TrialRequest, change: Partial<EpochMetrics>): HostileAnswer {
  return { kind: 'result', result: succeeded(request, change) };
}

function failed(request: TrialRequest, reason: string): HostileAnswer {
  return {
    kind: 'result',
    result: { ...succeeded(request, {}), status: 'failed', reason, epochs: [] },
  };
}

/** A result that would pass every check, but for `change` in each epoch. */
function succeeded(request: TrialRequest, change: Partial<EpochMetrics>): TrialResult {
  const size = expectedSize(request) ?? { params: 1, bnStatistics: 0, multAdds: 1 };
  const epochs = Array.from({ length: request.training.epochs }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 0.7,
    trainAccuracy: 0.5,
    validationLoss: 0.7,
    validationAccuracy: 0.5,
    learningRate: 0.01,
    seconds: 0.1,
    imagesPerSecond: 100,
    ...change,
  }));
  return {
    status: 'succeeded',
    reason: '',
    epochs,
    testAccuracy: null,
    ...size,
    latency: null,
    backend: HOSTILE_TEXT,
    device: HOSTILE_TEXT,
    seconds: 0.1,
  };
}
