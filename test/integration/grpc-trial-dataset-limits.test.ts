/**
 * A trial's dataset read is bounded as CheckDataset's is (issue #21, bounded reads), against a real
 * `nas-trainer serve` with a data root and a memory limit: the trial processes get both, so a
 * folder holding a link that leaves the data root, or an image over the memory limit, fails the
 * Train call with FAILED_PRECONDITION naming the file, and a trial cancelled while its dataset is
 * read stops reading and ends `cancelled` at once, in a process that is kept.
 */
import { status } from '@grpc/grpc-js';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainerClient } from '../../controller/trainer-client/trainer-client.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import {
  callFailure,
  killTrainers,
  spawnTrainer,
  TINY,
  type TrainerProcess,
} from './grpc-helpers.ts';

/** The trainer's limit: above the tiny trial's estimate (4 MB at size=8), below one big image. */
const MAX_MEMORY = '6MiB';
/** Images in the folder whose read a cancellation interrupts: seconds of decoding. */
const MANY_IMAGES = 3000;

/** TINY on an image folder of a few images: no validation split, one step of two. */
function onFolder(spec: string): TrialRequest {
  return {
    ...TINY,
    training: parseTrainingSettings({
      ...TINY.training,
      validationSize: 0,
      stepsPerEpoch: 1,
      batchSize: 2,
    }),
    dataset: parseDatasetSpec(spec),
  };
}

let root: string;
let elsewhere: string;
let trainer: TrainerProcess;
let client: ReturnType<typeof createTrainerClient>;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-trial-root-'));
  elsewhere = await mkdtemp(join(tmpdir(), 'cellsearch-trial-elsewhere-'));
  const create = { width: 16, height: 16, channels: 3 as const, background: '#204080' };
  const png = await sharp({ create }).png().toBuffer();
  await writeFile(join(elsewhere, 'outside.png'), png);
  // linked/a/0.png leaves the data root; everything else is a plain file inside it.
  for (const cls of ['a', 'b']) {
    await mkdir(join(root, 'linked', cls), { recursive: true });
    await mkdir(join(root, 'big', cls), { recursive: true });
    await mkdir(join(root, 'many', cls), { recursive: true });
  }
  await symlink(join(elsewhere, 'outside.png'), join(root, 'linked', 'a', '0.png'));
  await writeFile(join(root, 'linked', 'b', '0.png'), png);
  await writeFile(join(root, 'big', 'a', '0.png'), new Uint8Array(8 * 2 ** 20));
  await writeFile(join(root, 'big', 'b', '0.png'), png);
  for (let i = 0; i < MANY_IMAGES; i++)
    await writeFile(join(root, 'many', i % 2 ? 'a' : 'b', `${i}.png`), png);
  trainer = await spawnTrainer([
    ...['--backend', 'cpu', '--data-root', root, '--max-memory', MAX_MEMORY],
  ]);
  client = createTrainerClient({ address: trainer.address });
}, 120_000);
afterAll(() => {
  client.close();
  killTrainers();
});

describe.skipIf(process.platform !== 'linux')('a trial reading its dataset', () => {
  it('fails with FAILED_PRECONDITION on an image linking outside the data root', async () => {
    const err = await callFailure(lastValueFrom(client.trial(onFolder('folder:linked,size=8'))));
    expect(err.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(err.details).toContain(join(root, 'linked', 'a', '0.png'));
    expect(err.details).toContain("resolves to a file outside this trainer's data root");
    expect(err.details).not.toContain(elsewhere);
  }, 60_000);

  it('fails with FAILED_PRECONDITION on an image over the memory limit, naming the limit', async () => {
    const err = await callFailure(lastValueFrom(client.trial(onFolder('folder:big,size=8'))));
    expect(err.grpcCode).toBe(status.FAILED_PRECONDITION);
    expect(err.details).toContain(join(root, 'big', 'a', '0.png'));
    expect(err.details).toContain(
      "more than this trainer's memory limit (nas-trainer serve --max-memory) of 6 MiB",
    );
  }, 60_000);

  it('stops reading when cancelled, ends cancelled at once and keeps its process', async () => {
    const linesBefore = logLines(trainer).length;
    const trial = lastValueFrom(client.trial(onFolder('folder:many,size=8')));
    await expect.poll(async () => (await client.info()).running, { timeout: 20_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cancelled = performance.now();
    trainer.child.kill('SIGTERM');
    const last = await trial;
    if (last.type !== 'result') throw new Error(`the last event is ${last.type}`);
    expect(last.result.status).toBe('cancelled');
    expect(last.result.reason).toBe(
      'the trainer is shutting down (SIGTERM) (while its dataset folder:' +
        `${join(root, 'many')},size=8 was read)`,
    );
    expect(performance.now() - cancelled).toBeLessThan(3_000);
    expect(logLines(trainer).slice(linesBefore)).not.toContainEqual(
      expect.objectContaining({ msg: 'replacing a trial process' }),
    );
    expect(await trainer.exit).toBe(0);
  }, 60_000);
});

/** The trainer's JSON log lines so far. */
function logLines(of: TrainerProcess): unknown[] {
  return of
    .log()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line): unknown => JSON.parse(line));
}
