// Original file: proto/nas/v1/trial.proto


/**
 * How to train the network. Every field is optional: an absent field takes the default of
 * shared/training-settings.ts.
 */
export interface TrainingSettings {
  /**
   * Training epochs (default 20).
   */
  'epochs'?: (number);
  /**
   * Steps per epoch, each on a fresh random batch; 0 = one full pass over the training split (default).
   */
  'stepsPerEpoch'?: (number);
  /**
   * Examples per step (default 32).
   */
  'batchSize'?: (number);
  /**
   * Initial learning rate of the single-period cosine schedule (default 0.025).
   */
  'learningRate'?: (number | string);
  /**
   * SGD momentum (default 0.9).
   */
  'momentum'?: (number | string);
  /**
   * L2 weight decay on conv and dense kernels (default 5e-4).
   */
  'weightDecay'?: (number | string);
  /**
   * Clip the global gradient norm to this; 0 = off (default 5).
   */
  'gradClipNorm'?: (number | string);
  /**
   * Loss weight of the auxiliary head, when it is built (default 0.4).
   */
  'auxWeight'?: (number | string);
  /**
   * Label smoothing of the cross-entropy (default 0).
   */
  'labelSmoothing'?: (number | string);
  /**
   * Dropout before the final dense layer (default 0).
   */
  'dropout'?: (number | string);
  /**
   * ScheduledDropPath final keep probability; 1 = off (default).
   */
  'dropPathKeep'?: (number | string);
  /**
   * Pad 4 pixels and crop at random (default true).
   */
  'augmentCrop'?: (boolean);
  /**
   * Random horizontal flips (default true).
   */
  'augmentFlip'?: (boolean);
  /**
   * Cutout square side in pixels; 0 = off (default).
   */
  'cutout'?: (number);
  /**
   * Examples held out of the training split for validation (default 5000).
   */
  'validationSize'?: (number);
  /**
   * Seed of initialisation, shuffling, augmentation and drop-path (default 0).
   */
  'seed'?: (number);
  /**
   * Training step: "graph" (one TensorFlow graph call per step, native backend), "eager" (per-op
   * tfjs), or "auto" (graph where the native backend and its graph addon are available; default).
   */
  'trainStep'?: (string);
  '_epochs'?: "epochs";
  '_stepsPerEpoch'?: "stepsPerEpoch";
  '_batchSize'?: "batchSize";
  '_learningRate'?: "learningRate";
  '_momentum'?: "momentum";
  '_weightDecay'?: "weightDecay";
  '_gradClipNorm'?: "gradClipNorm";
  '_auxWeight'?: "auxWeight";
  '_labelSmoothing'?: "labelSmoothing";
  '_dropout'?: "dropout";
  '_dropPathKeep'?: "dropPathKeep";
  '_augmentCrop'?: "augmentCrop";
  '_augmentFlip'?: "augmentFlip";
  '_cutout'?: "cutout";
  '_validationSize'?: "validationSize";
  '_seed'?: "seed";
  '_trainStep'?: "trainStep";
}

/**
 * How to train the network. Every field is optional: an absent field takes the default of
 * shared/training-settings.ts.
 */
export interface TrainingSettings__Output {
  /**
   * Training epochs (default 20).
   */
  'epochs'?: (number);
  /**
   * Steps per epoch, each on a fresh random batch; 0 = one full pass over the training split (default).
   */
  'stepsPerEpoch'?: (number);
  /**
   * Examples per step (default 32).
   */
  'batchSize'?: (number);
  /**
   * Initial learning rate of the single-period cosine schedule (default 0.025).
   */
  'learningRate'?: (number);
  /**
   * SGD momentum (default 0.9).
   */
  'momentum'?: (number);
  /**
   * L2 weight decay on conv and dense kernels (default 5e-4).
   */
  'weightDecay'?: (number);
  /**
   * Clip the global gradient norm to this; 0 = off (default 5).
   */
  'gradClipNorm'?: (number);
  /**
   * Loss weight of the auxiliary head, when it is built (default 0.4).
   */
  'auxWeight'?: (number);
  /**
   * Label smoothing of the cross-entropy (default 0).
   */
  'labelSmoothing'?: (number);
  /**
   * Dropout before the final dense layer (default 0).
   */
  'dropout'?: (number);
  /**
   * ScheduledDropPath final keep probability; 1 = off (default).
   */
  'dropPathKeep'?: (number);
  /**
   * Pad 4 pixels and crop at random (default true).
   */
  'augmentCrop'?: (boolean);
  /**
   * Random horizontal flips (default true).
   */
  'augmentFlip'?: (boolean);
  /**
   * Cutout square side in pixels; 0 = off (default).
   */
  'cutout'?: (number);
  /**
   * Examples held out of the training split for validation (default 5000).
   */
  'validationSize'?: (number);
  /**
   * Seed of initialisation, shuffling, augmentation and drop-path (default 0).
   */
  'seed'?: (number);
  /**
   * Training step: "graph" (one TensorFlow graph call per step, native backend), "eager" (per-op
   * tfjs), or "auto" (graph where the native backend and its graph addon are available; default).
   */
  'trainStep'?: (string);
  '_epochs'?: "epochs";
  '_stepsPerEpoch'?: "stepsPerEpoch";
  '_batchSize'?: "batchSize";
  '_learningRate'?: "learningRate";
  '_momentum'?: "momentum";
  '_weightDecay'?: "weightDecay";
  '_gradClipNorm'?: "gradClipNorm";
  '_auxWeight'?: "auxWeight";
  '_labelSmoothing'?: "labelSmoothing";
  '_dropout'?: "dropout";
  '_dropPathKeep'?: "dropPathKeep";
  '_augmentCrop'?: "augmentCrop";
  '_augmentFlip'?: "augmentFlip";
  '_cutout'?: "cutout";
  '_validationSize'?: "validationSize";
  '_seed'?: "seed";
  '_trainStep'?: "trainStep";
}
