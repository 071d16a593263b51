/**
 * The dataset check before a search's first trial, against a trainer client faked at the gRPC edge:
 * what the trainer answers decides whether the search starts, with a note, or is refused in one line.
 */
import { status } from '@grpc/grpc-js';
import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { CheckedDataset } from '../../proto/dataset-codec.ts';
import { PROTOCOL_VERSION, type TrainerInfo } from '../../proto/trainer-info.ts';
import {
  DatasetCheckError,
  preflightDataset,
  type PreflightSettings,
} from '../../controller/search/dataset-preflight.ts';
import { TrainerCallError, type TrainerClient } from '../../controller/trainer-client/index.ts';

const ADDRESS = '10.0.0.1:50051';
const INFO: TrainerInfo = {
  capacity: 1,
  running: 0,
  backend: 'wasm',
  device: 'cpu',
  protocolVersion: PROTOCOL_VERSION,
  cellsearchVersion: '0.1.0',
  maxMemoryBytes: null,
};
const SETTINGS: PreflightSettings = {
  dataset: parseDatasetSpec('folder:/data/flowers'),
  network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
  training: parseTrainingSettings({ validationSize: 100 }),
};
const FLOWERS: CheckedDataset = {
  image: { height: 32, width: 32, channels: 3 },
  classes: 5,
  trainCount: 500,
  testCount: 0,
};

/** A trainer whose CheckDataset answers `answer` (a value, or the error it fails with). */
function trainer(answer: CheckedDataset | Error): TrainerClient & { asked: number } {
  const client = {
    address: ADDRESS,
    asked: 0,
    info: () => Promise.resolve(INFO),
    trial: () => NEVER,
    checkDataset: () => {
      client.asked++;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    close: () => undefined,
  };
  return client;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DatasetCheckError))
    throw new Error(`expected a refusal, got ${String(err)}`);
  return err.message;
}

describe('preflightDataset', () => {
  it('passes on what the trainer read', async () => {
    expect(await preflightDataset(trainer(FLOWERS), INFO, SETTINGS)).toEqual({
      checked: FLOWERS,
      trainer: ADDRESS,
    });
  });

  it('refuses a dataset the trainer cannot read, naming --dataset, the trainer and its reason', async () => {
    const missing = new TrainerCallError(
      ADDRESS,
      status.FAILED_PRECONDITION,
      'dataset: cannot read /data/flowers: missing dataset folder',
    );
    expect(await refusal(preflightDataset(trainer(missing), INFO, SETTINGS))).toBe(
      `--dataset folder:/data/flowers,size=32: trainer ${ADDRESS}: cannot read /data/flowers: missing dataset folder; no trial ran`,
    );
  });

  it.each([
    ['1.2', new TrainerCallError(ADDRESS, status.INTERNAL, 'never asked')],
    [PROTOCOL_VERSION, new TrainerCallError(ADDRESS, status.UNIMPLEMENTED, 'unknown method')],
  ])('goes on with a note when the trainer (protocol %s) has no CheckDataset', async (v, err) => {
    const outcome = await preflightDataset(trainer(err), { ...INFO, protocolVersion: v }, SETTINGS);
    expect(outcome).toEqual({
      skipped: `trainer ${ADDRESS} speaks protocol ${v}, before CheckDataset (1.3): --dataset folder:/data/flowers,size=32 is not checked before the first trial`,
    });
  });

  it('passes other call failures on as they are (the trainer went away)', async () => {
    const gone = new TrainerCallError(ADDRESS, status.UNAVAILABLE, 'cannot connect');
    await expect(preflightDataset(trainer(gone), INFO, SETTINGS)).rejects.toBe(gone);
  });

  it.each([
    [
      { ...FLOWERS, image: { height: 32, width: 48, channels: 3 } },
      SETTINGS,
      'its images are 32x48x3; the network needs square images',
    ],
    [
      { ...FLOWERS, trainCount: 80 },
      SETTINGS,
      'its training split holds 80 examples; --validation-size 100 leaves none to train on (allowed: 1 to 79)',
    ],
    [
      { ...FLOWERS, image: { height: 8, width: 8, channels: 3 } },
      { ...SETTINGS, network: { ...SETTINGS.network, filters: 96, skeleton: 'imagenet' as const } },
      'its images are 8x8x3, which the network (--size, --skeleton) does not fit: imageSize: imageSize 8 is too small',
    ],
  ])('refuses settings that cannot train on the images read (%#)', async (read, settings, why) => {
    const message = await refusal(preflightDataset(trainer(read), INFO, settings));
    expect(message).toContain(`--dataset folder:/data/flowers,size=32: ${why}`);
    expect(message).toMatch(/; no trial ran$/);
  });
});
