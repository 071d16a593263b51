/**
 * Before a search's first trial, one trainer is asked whether it can read the search's dataset
 * (CheckDataset, protocol 1.3): a dataset it cannot read would fail every trial, so the search is
 * refused at once, with the trainer's reason. Its answer (image shape, classes, split sizes) is
 * also checked against the network and the validation split, which a spec alone cannot tell for
 * an image folder. An older trainer is not asked: the search goes on with a note.
 */
import { status } from '@grpc/grpc-js';
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import { CellsearchError, InvalidValueError } from '../../shared/errors.ts';
import { parseNetworkSettings } from '../../shared/network-settings.ts';
import type { TrainingSettings } from '../../shared/training-settings.ts';
import type { TrialNetwork } from '../../shared/trial.ts';
import type { CheckedDataset } from '../../proto/dataset-codec.ts';
import type { TrainerInfo } from '../../proto/trainer-info.ts';
import { TrainerCallError, type TrainerClient } from '../trainer-client/index.ts';

/** The dataset as the trainer read it, or why it was not checked (a note for the user). */
export type DatasetPreflight =
  { readonly checked: CheckedDataset; readonly trainer: string } | { readonly skipped: string };

/** What a search trains: the dataset, and the network and training its trials use. */
export interface PreflightSettings {
  readonly dataset: DatasetSpec;
  readonly network: TrialNetwork;
  readonly training: TrainingSettings;
}

/** A dataset the trainer cannot read, or whose images the search's settings cannot train on. */
export class DatasetCheckError extends CellsearchError {
  constructor(message: string) {
    super('DATASET_CHECK_FAILED', message);
  }
}

/** The network settings a dataset decides. */
const FROM_DATASET: ReadonlySet<string> = new Set(['imageSize', 'channels', 'classes']);

/** Statuses that say the trainer cannot use the dataset (not that the call failed in transit). */
const REFUSALS: ReadonlySet<status> = new Set([
  status.FAILED_PRECONDITION,
  status.PERMISSION_DENIED,
  status.INVALID_ARGUMENT,
]);

/**
 * Asks `client` (whose GetInfo answer is `info`) to read the dataset, cancelled when `abort` fires
 * (the call's CANCELLED error is thrown as it is). Throws DatasetCheckError,
 * naming `--dataset`, the trainer and its reason, when it cannot, or when the images do not fit
 * the settings; other call failures are thrown as they are.
 */
export async function preflightDataset(
  client: TrainerClient,
  info: TrainerInfo,
  settings: PreflightSettings,
  abort?: AbortSignal,
): Promise<DatasetPreflight> {
  const spec = formatDatasetSpec(settings.dataset);
  const trainer = client.address;
  const unchecked = `trainer ${trainer} speaks protocol ${info.protocolVersion}, before CheckDataset (1.3): --dataset ${spec} is not checked before the first trial`;
  if (!speaksCheckDataset(info.protocolVersion)) return { skipped: unchecked };
  let checked: CheckedDataset;
  try {
    checked = await client.checkDataset(settings.dataset, abort);
  } catch (err) {
    if (!(err instanceof TrainerCallError)) throw err;
    if (err.grpcCode === status.UNIMPLEMENTED) return { skipped: unchecked };
    if (err.grpcCode === status.DEADLINE_EXCEEDED) {
      return {
        skipped: `trainer ${trainer} did not finish reading --dataset ${spec} in time; the trials will read it`,
      };
    }
    if (!REFUSALS.has(err.grpcCode)) throw err;
    const why = err.details.replace(/^dataset: /, '');
    throw new DatasetCheckError(`--dataset ${spec}: trainer ${trainer}: ${why}; no trial ran`);
  }
  const misfit = settingsMisfit(checked, settings);
  if (misfit !== null) throw new DatasetCheckError(`--dataset ${spec}: ${misfit}; no trial ran`);
  return { checked, trainer };
}

/** Why the search's settings cannot train on the dataset as read, or null when they can. */
function settingsMisfit(checked: CheckedDataset, settings: PreflightSettings): string | null {
  const { height, width, channels } = checked.image;
  const images = `its images are ${height}x${width}x${channels}`;
  if (height !== width) return `${images}; the network needs square images`;
  const size = settings.training.validationSize;
  if (size >= checked.trainCount) {
    return `its training split holds ${checked.trainCount} examples; --validation-size ${size} leaves none to train on (allowed: 1 to ${checked.trainCount - 1})`;
  }
  try {
    parseNetworkSettings({
      ...settings.network,
      imageSize: height,
      channels,
      classes: checked.classes,
    });
    return null;
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    // Only what the dataset decides: the rest of the network was checked with the flags.
    const problems = err.violations
      .filter((v) => FROM_DATASET.has(v.path))
      .map((v) => `${v.path}: ${v.message}`);
    if (problems.length === 0) return null;
    return `${images}, which the network (--size, --skeleton) does not fit: ${problems.join('; ')}`;
  }
}

/** Protocol 1.3 added CheckDataset. */
function speaksCheckDataset(protocolVersion: string): boolean {
  const [major, minor] = protocolVersion.split('.').map(Number);
  return major === 1 && (minor ?? 0) >= 3;
}
