/**
 * How a trainer trains one network: optimiser, schedule, regularisation, augmentation and the
 * validation split. One schema holds every setting's default, range and meaning; the CLI's flags,
 * the wire codec and the run store all parse with it.
 */
import type { z } from 'zod';
import { decimal, fields, flag, integer, oneOf, parseWith } from './schema.ts';
import { fieldInfo, type FieldInfo } from './field-info.ts';

/**
 * The settings schema. Defaults follow the paper's CIFAR training (Zoph et al., CVPR 2018, appendix A:
 * batch 32, cosine LR from 0.025, momentum 0.9, L2 5e-4, clip 5, aux weight 0.4) with the short
 * 20-epoch budget of child networks during search; drop-path and cutout are off unless asked for.
 * Each default with its source: docs/nasnet.md#training-defaults.
 */
export const TRAINING_SETTINGS_SCHEMA = fields(
  {
    // The paper's longest schedule is 600 epochs (final CIFAR models, docs/nasnet.md); 10000 is ample.
    epochs: integer(1, 10_000, 'training epochs').default(20),
    // 1e6 steps is a full pass over ImageNet's 1.28M images at batch 2: no sane epoch is longer.
    stepsPerEpoch: integer(
      0,
      1_000_000,
      'steps per epoch, each on a fresh random batch (0 = one full pass over the training split)',
    ).default(0),
    // One trainer, one device: 16384 is twice the largest single-job batch of large-batch ImageNet
    // training (8192, Goyal et al. 2017, spread over 256 GPUs); memory admission refuses the rest.
    batchSize: integer(1, 16_384, 'examples per step').default(32),
    learningRate: decimal(
      0,
      10,
      'initial learning rate of the single-period cosine schedule',
    ).default(0.025),
    momentum: decimal(0, 0.9999, 'SGD momentum').default(0.9),
    weightDecay: decimal(0, 1, 'L2 weight decay on conv and dense kernels').default(5e-4),
    gradClipNorm: decimal(0, 1e6, 'clip the global gradient norm to this (0 = off)').default(5),
    auxWeight: decimal(0, 10, 'loss weight of the auxiliary head (when built)').default(0.4),
    labelSmoothing: decimal(0, 0.999, 'label smoothing of the cross-entropy').default(0),
    dropout: decimal(0, 0.999, 'dropout before the final dense layer').default(0),
    dropPathKeep: decimal(
      0.01,
      1,
      'ScheduledDropPath final keep probability (1 = off; CIFAR final 0.6)',
    ).default(1),
    augmentCrop: flag('pad 4 pixels and crop at random').default(true),
    augmentFlip: flag('random horizontal flips').default(true),
    cutout: integer(0, 4096, 'cutout square side in pixels (0 = off; CIFAR final 16)').default(0),
    // No dataset kind holds more than 1e6 training examples (synthetic's ceiling; CIFAR has 50000).
    validationSize: integer(
      0,
      1_000_000,
      'examples held out of the training split for validation',
    ).default(5000),
    seed: integer(
      0,
      2 ** 31 - 1,
      'seed of initialisation, shuffling, augmentation and drop-path',
    ).default(0),
    trainStep: oneOf(
      ['graph', 'eager', 'auto'],
      'training step: one TensorFlow graph call per step (native backend), per-op eager tfjs, or graph where the native backend and its graph addon are available',
    ).default('auto'),
  },
  'training settings',
);

/** Every training setting with its value. */
export type TrainingSettings = Readonly<z.output<typeof TRAINING_SETTINGS_SCHEMA>>;

/** Every setting's name, default and meaning (for flags and `--help`). */
export const TRAINING_FIELDS: readonly FieldInfo[] = fieldInfo(TRAINING_SETTINGS_SCHEMA);

/** The default settings. */
export const DEFAULT_TRAINING: TrainingSettings = parseTrainingSettings({});

/** Parses settings; absent fields take their defaults. Throws InvalidValueError listing every problem. */
export function parseTrainingSettings(value: unknown): TrainingSettings {
  return parseWith(TRAINING_SETTINGS_SCHEMA, value, 'training settings');
}
