// Original file: proto/nas/v1/trainer_service.proto

import type { Genotype as _nas_v1_Genotype, Genotype__Output as _nas_v1_Genotype__Output } from '../../nas/v1/Genotype.ts';
import type { NetworkSettings as _nas_v1_NetworkSettings, NetworkSettings__Output as _nas_v1_NetworkSettings__Output } from '../../nas/v1/NetworkSettings.ts';
import type { TrainingSettings as _nas_v1_TrainingSettings, TrainingSettings__Output as _nas_v1_TrainingSettings__Output } from '../../nas/v1/TrainingSettings.ts';

/**
 * One candidate to train.
 */
export interface TrainRequest {
  /**
   * The candidate's cells.
   */
  'genotype'?: (_nas_v1_Genotype | null);
  /**
   * The network the cells are stacked into.
   */
  'network'?: (_nas_v1_NetworkSettings | null);
  /**
   * How to train it.
   */
  'training'?: (_nas_v1_TrainingSettings | null);
  /**
   * A dataset spec such as "synthetic:classes=10" or "cifar10:cifar-10-batches-bin"; relative folders
   * resolve under the trainer's data root.
   */
  'dataset'?: (string);
  /**
   * A label of the caller's choosing for the trainer's log; not interpreted.
   */
  'trialId'?: (string);
}

/**
 * One candidate to train.
 */
export interface TrainRequest__Output {
  /**
   * The candidate's cells.
   */
  'genotype': (_nas_v1_Genotype__Output | null);
  /**
   * The network the cells are stacked into.
   */
  'network': (_nas_v1_NetworkSettings__Output | null);
  /**
   * How to train it.
   */
  'training': (_nas_v1_TrainingSettings__Output | null);
  /**
   * A dataset spec such as "synthetic:classes=10" or "cifar10:cifar-10-batches-bin"; relative folders
   * resolve under the trainer's data root.
   */
  'dataset': (string);
  /**
   * A label of the caller's choosing for the trainer's log; not interpreted.
   */
  'trialId': (string);
}
