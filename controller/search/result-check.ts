/**
 * What a trainer's numbers must mean before the controller believes them: every epoch and every
 * result it sends is checked against the request it answers (accuracies in [0, 1], losses, rates
 * and times finite and not negative, epochs numbered 1, 2, ... up to the requested count, sizes equal
 * to the controller's own count of the network). A result that fails is a failed trial naming the
 * trainer and the field, never a reward.
 */
import type { EpochMetrics, TrialRequest, TrialResult } from '../../shared/trial.ts';
import { planTrial, type ExpectedSize } from './trial-plan.ts';

/** The verdict of a check: fine, or the first field that is wrong and why (`5 is not in [0, 1]`). */
export type ResultCheck =
  { readonly ok: true } | { readonly ok: false; readonly field: string; readonly why: string };

const OK: ResultCheck = Object.freeze({ ok: true });

/** How one number must read: a fraction in [0, 1], or a finite number not below zero. */
type Rule = 'fraction' | 'non-negative';

/**
 * Each epoch metric's rule (the epoch number is checked on its own). The validation metrics may be
 * NaN only when the request held out no validation split (shared/trial.ts says why they are then).
 */
const EPOCH_RULES = {
  trainLoss: 'non-negative',
  trainAccuracy: 'fraction',
  validationLoss: 'non-negative',
  validationAccuracy: 'fraction',
  learningRate: 'non-negative',
  seconds: 'non-negative',
  imagesPerSecond: 'non-negative',
} as const satisfies Record<EpochField, Rule>;

/** The metrics {@link EPOCH_RULES} covers: every field of an epoch but its number. */
type EpochField = Exclude<keyof EpochMetrics, 'epoch'>;

function isEpochField(key: string): key is EpochField {
  return key in EPOCH_RULES;
}

const EPOCH_FIELDS: readonly EpochField[] = Object.freeze(
  Object.keys(EPOCH_RULES).filter(isEpochField),
);

const MAY_BE_NAN_WITHOUT_VALIDATION: ReadonlySet<string> = new Set([
  'validationLoss',
  'validationAccuracy',
]);

/**
 * The parameter, BN-statistic and multiply-add counts of `request`'s network, walked from its plan
 * (shared/complexity.ts, the trainer's own count); null when the dataset's classes are unknown
 * until read (an image folder: the head's size depends on them) or the network cannot be planned.
 */
export function expectedSize(request: TrialRequest): ExpectedSize | null {
  return planTrial(request).expected;
}

/**
 * Checks epoch `index` (0-based: the trial's `index + 1`-th epoch) as it arrives: it must be epoch
 * `index + 1` of at most the requested epochs, with every metric meaning what it says.
 */
export function checkEpoch(
  metrics: EpochMetrics,
  index: number,
  request: TrialRequest,
): ResultCheck {
  const at = `epochs[${index}]`;
  const { epochs, validationSize } = request.training;
  if (index >= epochs)
    return bad('epochs', `has more than the ${epochs} epochs the request asked for`);
  if (metrics.epoch !== index + 1)
    return bad(
      `${at}.epoch`,
      `${show(metrics.epoch)} is not ${index + 1} (epochs count 1, 2, ... without gaps)`,
    );
  for (const field of EPOCH_FIELDS) {
    const value = metrics[field];
    if (validationSize === 0 && Number.isNaN(value) && MAY_BE_NAN_WITHOUT_VALIDATION.has(field))
      continue;
    const why = ruleBroken(value, EPOCH_RULES[field]);
    if (why !== null) return bad(`${at}.${field}`, why);
  }
  return OK;
}

/**
 * Checks a whole result against `request`: its epochs (as {@link checkEpoch}), test accuracy, time,
 * latency, and sizes. A succeeded result's sizes must be positive and equal `expected` (when the
 * controller could count them: {@link expectedSize}); a failed or cancelled one may report 0 (the
 * trainer may have failed before planning the network).
 */
export function checkTrialResult(
  result: TrialResult,
  request: TrialRequest,
  expected: ExpectedSize | null = expectedSize(request),
): ResultCheck {
  for (const [index, metrics] of result.epochs.entries()) {
    const epoch = checkEpoch(metrics, index, request);
    if (!epoch.ok) return epoch;
  }
  if (result.testAccuracy !== null) {
    const why = ruleBroken(result.testAccuracy, 'fraction');
    if (why !== null) return bad('testAccuracy', why);
  }
  const seconds = ruleBroken(result.seconds, 'non-negative');
  if (seconds !== null) return bad('seconds', seconds);
  return checkLatency(result) ?? checkSizes(result, expected) ?? OK;
}

/** One line naming the trainer and the field: `trainer A sent an invalid result: f = 5 is not in [0, 1]`. */
export function invalidResultReason(
  trainer: string,
  what: 'result' | 'epoch',
  check: { readonly field: string; readonly why: string },
): string {
  return `trainer ${trainer} sent an invalid ${what}: ${check.field} ${check.why}`;
}

function checkLatency(result: TrialResult): ResultCheck | null {
  if (result.latency === null) return null;
  const { batch1Ms, batchMs, batchSize } = result.latency;
  for (const [field, value] of [
    ['batch1Ms', batch1Ms],
    ['batchMs', batchMs],
  ] as const) {
    const why = ruleBroken(value, 'non-negative');
    if (why !== null) return bad(`latency.${field}`, why);
  }
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    return bad('latency.batchSize', `${show(batchSize)} is not a positive integer`);
  return null;
}

function checkSizes(result: TrialResult, expected: ExpectedSize | null): ResultCheck | null {
  const succeeded = result.status === 'succeeded';
  for (const field of ['params', 'bnStatistics', 'multAdds'] as const) {
    const value = result[field];
    // A network with no BN has none; a trainer that failed before planning reports 0 of each.
    const least = succeeded && field !== 'bnStatistics' ? 1 : 0;
    if (!Number.isSafeInteger(value) || value < least) {
      const what = least === 1 ? 'a positive integer' : 'an integer of 0 or more';
      return bad(field, `${show(value)} is not ${what}`);
    }
    if (succeeded && expected !== null && value !== expected[field])
      return bad(
        field,
        `${show(value)} is not ${expected[field]}, the controller's count for the network`,
      );
  }
  return null;
}

/** Why `value` breaks `rule`, or null when it keeps it. */
function ruleBroken(value: number, rule: Rule): string | null {
  switch (rule) {
    case 'fraction':
      return value >= 0 && value <= 1 ? null : `${show(value)} is not in [0, 1]`;
    case 'non-negative':
      return Number.isFinite(value) && value >= 0
        ? null
        : `${show(value)} is not a finite number >= 0`;
  }
}

function bad(field: string, why: string): ResultCheck {
  return { ok: false, field, why };
}

/** A number as the message shows it: `= 5`, `= NaN`, `= -Infinity`. */
function show(value: number): string {
  return `= ${String(value)}`;
}
