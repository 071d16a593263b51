/**
 * Dataset reads that no file can hang or grow without bound (issue #21, bounded reads): a FIFO, a
 * link to /dev/zero or a folder where a data file should be is refused at once with the file named
 * and what it is; a link that leaves the data root is refused without naming its target; image
 * files are checked the same way before sharp sees them; an aborted read stops. Real FIFOs
 * (mkfifo), links and sparse files.
 */
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCifar10 } from '../../trainer/data/cifar10.ts';
import {
  DatasetFileSizeError,
  DatasetLinkOutsideRootError,
  DatasetTooLargeError,
  NotRegularDatasetFileError,
} from '../../trainer/data/errors.ts';
import { readImageFolder } from '../../trainer/data/image-folder.ts';
import { ImageInputError } from '../../trainer/infer/errors.ts';
import { readImageFiles } from '../../trainer/infer/image-files.ts';
import { createTrainerDatasetReader } from '../../trainer/server/trainer-dataset-reader.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';

const RECORD = 3073;
const BATCHES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin');
/** Well under the time a hanging or streaming read would take to be noticed. */
const QUICK_MS = 2_000;

let base: string;
const fifos: string[] = [];
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cellsearch-bounded-'));
});
afterAll(async () => {
  // A read still blocked on a FIFO (the failure this file tests for) is released by a writer.
  for (const fifo of fifos) {
    await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then(
      (h) => h.close(),
      () => undefined,
    );
  }
  await rm(base, { recursive: true, force: true });
});

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
  fifos.push(path);
}

/** A CIFAR-10 folder of two-record batches; returns it. */
async function cifarFolder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const name of BATCHES) await writeFile(join(dir, name), new Uint8Array(2 * RECORD));
  return dir;
}

/** Resolves with what `promise` rejects with, failing after {@link QUICK_MS}. */
async function quickFailure(promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still reading after ${QUICK_MS} ms`)), QUICK_MS);
  });
  try {
    return await Promise.race([promise, late]).then(
      () => new Error('the read succeeded'),
      (e: unknown) => e,
    );
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(process.platform !== 'linux')('special files as dataset files', () => {
  it.each([
    ['a FIFO', 'is a FIFO (named pipe)', (file: string) => Promise.resolve(mkfifo(file))],
    ['a link to /dev/zero', 'is a character device', (file: string) => symlink('/dev/zero', file)],
    ['a folder', 'is a folder', (file: string) => mkdir(file)],
  ])('refuses %s as a CIFAR-10 batch at once, naming it', async (name, kind, make) => {
    const dir = await cifarFolder(join(base, name.replaceAll(' ', '-').replaceAll('/', '')));
    const file = join(dir, 'data_batch_2.bin');
    await rm(file);
    await make(file);
    const err = await quickFailure(readCifar10(dir));
    expect(err).toBeInstanceOf(NotRegularDatasetFileError);
    expect(String(err)).toContain(
      `${file}: ${kind}, not a regular file; only regular files (or links to them) are read`,
    );
  });

  it('refuses a class-names file that links to /dev/zero', async () => {
    const dir = await cifarFolder(join(base, 'meta-zero'));
    await symlink('/dev/zero', join(dir, 'batches.meta.txt'));
    const err = await quickFailure(readCifar10(dir));
    expect(err).toBeInstanceOf(NotRegularDatasetFileError);
    expect(String(err)).toContain('batches.meta.txt: is a character device');
  });
});

describe('links and the data root', () => {
  it('reads a link to a batch inside the root, and refuses one to a batch outside it', async () => {
    const root = join(base, 'root');
    const outside = await cifarFolder(join(base, 'outside'));
    const dir = await cifarFolder(join(root, 'cifar'));
    await mkdir(join(root, 'shared'));
    await copyFile(join(dir, 'test_batch.bin'), join(root, 'shared', 'test.bin'));
    await rm(join(dir, 'test_batch.bin'));
    await symlink(join(root, 'shared', 'test.bin'), join(dir, 'test_batch.bin'));
    expect((await readCifar10(dir, { root })).test?.count).toBe(2);
    await rm(join(dir, 'data_batch_1.bin'));
    await symlink(join(outside, 'data_batch_1.bin'), join(dir, 'data_batch_1.bin'));
    // Without a root any file may be read (the loopback-only default).
    expect((await readCifar10(dir)).train.count).toBe(10);
    const err = await quickFailure(readCifar10(dir, { root }));
    expect(err).toBeInstanceOf(DatasetLinkOutsideRootError);
    expect(String(err)).toContain(
      `${join(dir, 'data_batch_1.bin')}: resolves to a file outside this trainer's data root ${root}`,
    );
    expect(String(err)).not.toContain(outside);
  });

  it('stops an aborted read with the abort reason', async () => {
    const dir = await cifarFolder(join(base, 'aborted'));
    const aborter = new AbortController();
    aborter.abort();
    const err = await quickFailure(readCifar10(dir, { signal: aborter.signal }));
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'AbortError' });
  });
});

describe('image files', () => {
  let png: Buffer;
  beforeAll(async () => {
    const create = { width: 6, height: 6, channels: 3 as const, background: '#c01020' };
    png = await sharp({ create }).png().toBuffer();
  });

  /** A one-class image folder `name` with `ok.png` and whatever `extra` adds; returns it. */
  async function folder(name: string, extra: (cls: string) => Promise<void>): Promise<string> {
    const dir = join(base, name);
    await mkdir(join(dir, 'cls'), { recursive: true });
    await writeFile(join(dir, 'cls', 'ok.png'), png);
    await extra(join(dir, 'cls'));
    return dir;
  }

  it.skipIf(process.platform !== 'linux')(
    'refuses a FIFO or a link to /dev/zero named like an image, instead of skipping it',
    async () => {
      const piped = await folder('img-fifo', (cls) => Promise.resolve(mkfifo(join(cls, 'p.png'))));
      const zero = await folder('img-zero', (cls) => symlink('/dev/zero', join(cls, 'z.png')));
      expect(await quickFailure(readImageFolder(piped, 4))).toBeInstanceOf(
        NotRegularDatasetFileError,
      );
      const err = await quickFailure(readImageFolder(zero, 4));
      expect(String(err)).toContain(`${join(zero, 'cls', 'z.png')}: is a character device`);
    },
  );

  it('refuses an image file over 64 MiB before decoding it', async () => {
    const dir = await folder('img-big', async (cls) => {
      await writeFile(join(cls, 'big.png'), png);
      await truncate(join(cls, 'big.png'), 64 * 2 ** 20 + 1);
    });
    const err = await quickFailure(readImageFolder(dir, 4));
    expect(err).toBeInstanceOf(DatasetFileSizeError);
    expect(String(err)).toContain(`big.png: size ${64 * 2 ** 20 + 1} is more than the largest`);
  });

  it('follows a link to an image inside the root and refuses a train folder leaving it', async () => {
    const root = join(base, 'img-root');
    const dir = await folder('img-root/set', (cls) =>
      symlink(join(cls, 'ok.png'), join(cls, 'l.png')),
    );
    const data = await readImageFolder(dir, 4, { root });
    expect(data.train.count).toBe(2);
    const escaping = join(root, 'escaping');
    await mkdir(escaping);
    await symlink(await folder('img-elsewhere', () => Promise.resolve()), join(escaping, 'train'));
    const err = await quickFailure(readImageFolder(escaping, 4, { root }));
    expect(err).toBeInstanceOf(DatasetLinkOutsideRootError);
  });

  it.skipIf(process.platform !== 'linux')(
    'predict refuses a FIFO or a link to /dev/zero as an input image, naming it',
    async () => {
      const dir = join(base, 'predict');
      await mkdir(dir);
      mkfifo(join(dir, 'p.png'));
      await symlink('/dev/zero', join(dir, 'z.png'));
      const shape = { height: 4, width: 4, channels: 3 };
      for (const [name, kind] of [
        ['p.png', 'is a FIFO (named pipe)'],
        ['z.png', 'is a character device'],
      ] as const) {
        const err = await quickFailure(readImageFiles([join(dir, name)], shape));
        expect(err).toBeInstanceOf(ImageInputError);
        expect(String(err)).toContain(`${join(dir, name)}: cannot be read as an image: ${kind}`);
      }
    },
  );
});

describe("the trainer's dataset reader", () => {
  it('refuses a dataset over the memory limit before allocating it, naming the limit', async () => {
    const dir = await cifarFolder(join(base, 'limited'));
    const spec = parseDatasetSpec(`cifar10:${dir}`);
    // Six batches of two records: 12 x 3073 bytes read, 12 x 3073 decoded.
    expect(
      (await createTrainerDatasetReader({ maxMemoryBytes: 24 * RECORD })(spec)).classCount,
    ).toBe(10);
    const err = await quickFailure(
      createTrainerDatasetReader({ maxMemoryBytes: 20 * RECORD })(spec),
    );
    expect(err).toBeInstanceOf(DatasetTooLargeError);
    expect(String(err)).toMatch(
      /more than this trainer's memory limit \(nas-trainer serve --max-memory\)/,
    );
  });

  it('reads nothing once its signal is aborted (at shutdown)', async () => {
    const aborter = new AbortController();
    const read = createTrainerDatasetReader({ signal: aborter.signal });
    aborter.abort();
    const err = await quickFailure(read(parseDatasetSpec('cifar10:/nowhere')));
    expect(err).toMatchObject({ name: 'AbortError' });
  });
});
