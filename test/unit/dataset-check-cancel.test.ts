/**
 * CheckDataset's callers leaving (issue #21, bounded reads): callers asking for one dataset share
 * its read; a caller that leaves gets its abort at once; the read stops only once every caller has
 * left before it ended (one without a signal never leaves), and a caller arriving after that reads
 * afresh. A property over any callers and any order of leaving and the read's end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import type { ImageDataset } from '../../trainer/data/image-dataset.ts';
import { createDatasetChecker, type DatasetReader } from '../../trainer/server/dataset-check.ts';

const SPEC = parseDatasetSpec('cifar10:/data/cifar');
const DATASET: ImageDataset = {
  name: 'cifar10',
  classCount: 10,
  train: {
    count: 5,
    shape: { height: 32, width: 32, channels: 3 },
    images: new Uint8Array(0),
    labels: new Uint8Array(0),
  },
};

/** A reader at the process edge: each read ends when the test says, or when its signal aborts. */
function controlledReader(): {
  read: DatasetReader;
  reads: { end: () => void; aborted: () => boolean }[];
} {
  const reads: { end: () => void; aborted: () => boolean }[] = [];
  const read: DatasetReader = (_spec, signal) =>
    new Promise((resolve, reject) => {
      reads.push({ end: () => resolve(DATASET), aborted: () => signal?.aborted === true });
      signal?.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError')));
    });
  return { read, reads };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One caller: whether it has a signal, and when (in the order of events) it leaves, if at all. */
const callerArb = fc.record({ signal: fc.boolean(), leaveAt: fc.option(fc.nat(10)) });

describe('CheckDataset callers leaving', () => {
  it('shares one read and stops it only when every caller left before it ended', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(callerArb, { minLength: 1, maxLength: 5 }),
        fc.nat(10),
        async (callers, readEndsAt) => {
          const { read, reads } = controlledReader();
          const check = createDatasetChecker(undefined, read);
          const aborters = callers.map(() => new AbortController());
          const outcomes = callers.map((caller, i) =>
            check(SPEC, caller.signal ? aborters[i]?.signal : undefined).then(
              () => 'answered',
              (err: unknown) => (err instanceof Error ? err.name : 'other'),
            ),
          );
          await settle();
          expect(reads).toHaveLength(1);
          // Events in time order; at equal times the read ends first.
          for (let t = 0; t <= 10; t++) {
            if (t === readEndsAt && !(reads[0]?.aborted() ?? true)) {
              reads[0]?.end();
              await settle();
            }
            callers.forEach((caller, i) => {
              if (caller.signal && caller.leaveAt === t) aborters[i]?.abort('gone');
            });
            await settle();
          }
          const leavesBeforeEnd = callers.map(
            (c) => c.signal && c.leaveAt !== null && c.leaveAt < readEndsAt,
          );
          const everyoneLeft = leavesBeforeEnd.every(Boolean);
          expect(reads[0]?.aborted()).toBe(everyoneLeft);
          expect(await Promise.all(outcomes)).toEqual(
            leavesBeforeEnd.map((left) => (left ? 'AbortError' : 'answered')),
          );
          // A caller arriving now reads afresh only when the read was stopped.
          const again = check(SPEC);
          await settle();
          expect(reads).toHaveLength(everyoneLeft ? 2 : 1);
          reads[1]?.end();
          await expect(again).resolves.toMatchObject({ trainCount: 5 });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses at once a caller whose signal has already aborted, reading nothing', async () => {
    const { read, reads } = controlledReader();
    const aborted = AbortSignal.abort('gone');
    await expect(createDatasetChecker(undefined, read)(SPEC, aborted)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(reads).toHaveLength(0);
  });
});
