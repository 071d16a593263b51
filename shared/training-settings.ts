/**
 * How a trainer trains one network: optimiser, schedule, regularisation, augmentation and the
 * validation split. One table holds every setting's default, range and meaning; the parser checks
 * a value from any source (CLI flags, gRPC, config file) against it and lists every violation.
 */
import { InvalidValueError, type Violation } from './errors.ts';

/** Every training setting with its value. */
export interface TrainingSettings {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly gradClipNorm: number;
  readonly auxWeight: number;
  readonly labelSmoothing: number;
  readonly dropout: number;
  readonly dropPathKeep: number;
  readonly augmentCrop: boolean;
  readonly augmentFlip: boolean;
  readonly cutout: number;
  readonly validationSize: number;
  readonly seed: number;
}

type Key = keyof TrainingSettings;

interface FieldSpec {
  readonly kind: 'int' | 'number' | 'boolean';
  readonly min?: number;
  readonly max?: number;
  readonly default: number | boolean;
  readonly doc: string;
}

/**
 * The settings table. Defaults follow the paper's CIFAR training (Zoph et al., CVPR 2018, appendix A:
 * batch 32, cosine LR from 0.025, momentum 0.9, L2 5e-4, clip 5, aux weight 0.4) with the short
 * 20-epoch budget of child networks during search; drop-path and cutout are off unless asked for.
 */
export const TRAINING_FIELDS: Readonly<Record<Key, FieldSpec>> = Object.freeze({
  epochs: { kind: 'int', min: 1, max: 100_000, default: 20, doc: 'training epochs' },
  stepsPerEpoch: {
    kind: 'int',
    min: 0,
    max: 10_000_000,
    default: 0,
    doc: 'steps per epoch, each on a fresh random batch (0 = one full pass over the training split)',
  },
  batchSize: { kind: 'int', min: 1, max: 65_536, default: 32, doc: 'examples per step' },
  learningRate: {
    kind: 'number',
    min: 0,
    max: 10,
    default: 0.025,
    doc: 'initial learning rate of the single-period cosine schedule',
  },
  momentum: { kind: 'number', min: 0, max: 0.9999, default: 0.9, doc: 'SGD momentum' },
  weightDecay: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 5e-4,
    doc: 'L2 weight decay on conv and dense kernels',
  },
  gradClipNorm: {
    kind: 'number',
    min: 0,
    max: 1e6,
    default: 5,
    doc: 'clip the global gradient norm to this (0 = off)',
  },
  auxWeight: {
    kind: 'number',
    min: 0,
    max: 10,
    default: 0.4,
    doc: 'loss weight of the auxiliary head (when built)',
  },
  labelSmoothing: {
    kind: 'number',
    min: 0,
    max: 0.999,
    default: 0,
    doc: 'label smoothing of the cross-entropy',
  },
  dropout: {
    kind: 'number',
    min: 0,
    max: 0.999,
    default: 0,
    doc: 'dropout before the final dense layer',
  },
  dropPathKeep: {
    kind: 'number',
    min: 0.01,
    max: 1,
    default: 1,
    doc: 'ScheduledDropPath final keep probability (1 = off; CIFAR final 0.6)',
  },
  augmentCrop: { kind: 'boolean', default: true, doc: 'pad 4 pixels and crop at random' },
  augmentFlip: { kind: 'boolean', default: true, doc: 'random horizontal flips' },
  cutout: {
    kind: 'int',
    min: 0,
    max: 4096,
    default: 0,
    doc: 'cutout square side in pixels (0 = off; CIFAR final 16)',
  },
  validationSize: {
    kind: 'int',
    min: 0,
    max: 10_000_000,
    default: 5000,
    doc: 'examples held out of the training split for validation',
  },
  seed: {
    kind: 'int',
    min: 0,
    max: 2 ** 31 - 1,
    default: 0,
    doc: 'seed of initialisation, shuffling, augmentation and drop-path',
  },
});

const KEYS = Object.keys(TRAINING_FIELDS) as Key[];

/** The default settings. */
export const DEFAULT_TRAINING: TrainingSettings = Object.freeze(
  Object.fromEntries(
    KEYS.map((k) => [k, TRAINING_FIELDS[k].default]),
  ) as unknown as TrainingSettings,
);

/** Parses settings; absent fields take their defaults. Throws InvalidValueError listing every problem. */
export function parseTrainingSettings(value: unknown): TrainingSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidValueError('training settings', [{ path: '', message: 'expected an object' }]);
  }
  const input = value as Readonly<Record<string, unknown>>;
  const violations: Violation[] = [];
  for (const key of Object.keys(input)) {
    if (!(KEYS as string[]).includes(key)) {
      violations.push({ path: key, message: `unknown setting; allowed: ${KEYS.join(', ')}` });
    }
  }
  const out: Record<string, number | boolean> = {};
  for (const key of KEYS) {
    const given = input[key];
    out[key] =
      given === undefined ? TRAINING_FIELDS[key].default : checkField(key, given, violations);
  }
  if (violations.length > 0) throw new InvalidValueError('training settings', violations);
  return Object.freeze(out) as unknown as TrainingSettings;
}

function checkField(key: Key, value: unknown, violations: Violation[]): number | boolean {
  const spec = TRAINING_FIELDS[key];
  if (spec.kind === 'boolean') {
    if (typeof value === 'boolean') return value;
    violations.push({ path: key, message: `expected true or false, got ${JSON.stringify(value)}` });
    return spec.default;
  }
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (spec.kind === 'number' || Number.isInteger(value)) &&
    value >= (spec.min ?? -Infinity) &&
    value <= (spec.max ?? Infinity);
  if (ok) return value;
  const what = spec.kind === 'int' ? 'an integer' : 'a number';
  violations.push({
    path: key,
    message: `expected ${what} in ${spec.min ?? '-inf'}..${spec.max ?? 'inf'} (${spec.doc}), got ${JSON.stringify(value) ?? String(value)}`,
  });
  return spec.default;
}
