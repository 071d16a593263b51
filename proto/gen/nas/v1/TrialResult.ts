// Original file: proto/nas/v1/trial.proto

import type { TrialStatus as _nas_v1_TrialStatus, TrialStatus__Output as _nas_v1_TrialStatus__Output } from '../../nas/v1/TrialStatus.ts';
import type { EpochMetrics as _nas_v1_EpochMetrics, EpochMetrics__Output as _nas_v1_EpochMetrics__Output } from '../../nas/v1/EpochMetrics.ts';
import type { Latency as _nas_v1_Latency, Latency__Output as _nas_v1_Latency__Output } from '../../nas/v1/Latency.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * The outcome of a trial, with the network's size and where it ran.
 */
export interface TrialResult {
  /**
   * How the trial ended.
   */
  'status'?: (_nas_v1_TrialStatus);
  /**
   * Why it failed or was cancelled; empty when it succeeded.
   */
  'reason'?: (string);
  /**
   * Metrics of every finished epoch.
   */
  'epochs'?: (_nas_v1_EpochMetrics)[];
  /**
   * Accuracy on the dataset's test split; absent without a test split or when the trial did not succeed.
   */
  'testAccuracy'?: (number | string);
  /**
   * Trainable parameters.
   */
  'params'?: (number | string | Long);
  /**
   * Batch-normalisation statistics (moving means and variances).
   */
  'bnStatistics'?: (number | string | Long);
  /**
   * Multiply-adds of one forward pass of one image.
   */
  'multAdds'?: (number | string | Long);
  /**
   * Inference latency; absent when the trial did not succeed.
   */
  'latency'?: (_nas_v1_Latency | null);
  /**
   * The tfjs backend that trained it.
   */
  'backend'?: (string);
  /**
   * The device in words.
   */
  'device'?: (string);
  /**
   * Wall-clock seconds of the whole trial.
   */
  'seconds'?: (number | string);
  '_testAccuracy'?: "testAccuracy";
}

/**
 * The outcome of a trial, with the network's size and where it ran.
 */
export interface TrialResult__Output {
  /**
   * How the trial ended.
   */
  'status': (_nas_v1_TrialStatus__Output);
  /**
   * Why it failed or was cancelled; empty when it succeeded.
   */
  'reason': (string);
  /**
   * Metrics of every finished epoch.
   */
  'epochs': (_nas_v1_EpochMetrics__Output)[];
  /**
   * Accuracy on the dataset's test split; absent without a test split or when the trial did not succeed.
   */
  'testAccuracy'?: (number);
  /**
   * Trainable parameters.
   */
  'params': (number);
  /**
   * Batch-normalisation statistics (moving means and variances).
   */
  'bnStatistics': (number);
  /**
   * Multiply-adds of one forward pass of one image.
   */
  'multAdds': (number);
  /**
   * Inference latency; absent when the trial did not succeed.
   */
  'latency': (_nas_v1_Latency__Output | null);
  /**
   * The tfjs backend that trained it.
   */
  'backend': (string);
  /**
   * The device in words.
   */
  'device': (string);
  /**
   * Wall-clock seconds of the whole trial.
   */
  'seconds': (number);
  '_testAccuracy'?: "testAccuracy";
}
