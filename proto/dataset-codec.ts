/**
 * Wire <-> domain for the CheckDataset RPC: the dataset spec asked about and what the trainer found
 * when it read that dataset; one function each way per message.
 */
import { formatDatasetSpec, parseDatasetSpec, type DatasetSpec } from '../shared/dataset-spec.ts';
import type { Shape } from '../shared/shape.ts';
import type { CheckDatasetRequest as WireRequest } from './gen/nas/v1/CheckDatasetRequest.ts';
import type { CheckDatasetRequest__Output as WireRequestOut } from './gen/nas/v1/CheckDatasetRequest.ts';
import type {
  CheckDatasetResponse as WireResponse,
  CheckDatasetResponse__Output as WireResponseOut,
} from './gen/nas/v1/CheckDatasetResponse.ts';

/** A dataset as a trainer read it: every fact known (unlike a spec's, which may leave counts open). */
export interface CheckedDataset {
  /** One image: height, width and channels. */
  readonly image: Shape;
  /** Classes: labels are `0 .. classes - 1`. */
  readonly classes: number;
  /** Examples in the training split. */
  readonly trainCount: number;
  /** Examples in the test split (0: none). */
  readonly testCount: number;
}

/** Encodes the question about `spec`. */
export function checkDatasetRequestToWire(spec: DatasetSpec): WireRequest {
  return { dataset: formatDatasetSpec(spec) };
}

/** Decodes the question; throws InvalidValueError naming what is wrong with the spec. */
export function checkDatasetRequestFromWire(wire: WireRequestOut): DatasetSpec {
  return parseDatasetSpec(wire.dataset);
}

/** Encodes the answer. */
export function checkedDatasetToWire(checked: CheckedDataset): WireResponse {
  const { image, classes, trainCount, testCount } = checked;
  return { ...image, classes, trainCount, testCount };
}

/** Decodes the answer. */
export function checkedDatasetFromWire(wire: WireResponseOut): CheckedDataset {
  const { height, width, channels, classes, trainCount, testCount } = wire;
  return { image: { height, width, channels }, classes, trainCount, testCount };
}
