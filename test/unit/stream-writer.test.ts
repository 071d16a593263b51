/**
 * The stream writer against real Node Writables in object mode with a small highWaterMark and a
 * consumer that takes its time (the process edge: a peer that reads slowly).
 */
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StreamWriter } from '../../trainer/server/stream-writer.ts';

/** A slow sink: each message is taken after `delayMs` (0: at once, in the same tick). */
function slowSink(highWaterMark: number, delayMs: (index: number) => number) {
  const received: number[] = [];
  let peak = 0;
  let finishedAfter: number | null = null;
  const stream = new Writable({
    objectMode: true,
    highWaterMark,
    write(message: number, _encoding, done) {
      const delay = delayMs(received.length);
      const take = (): void => {
        received.push(message);
        done();
      };
      if (delay === 0) take();
      else setTimeout(take, delay);
    },
  });
  const finished = new Promise<void>((resolve) =>
    stream.on('finish', () => {
      finishedAfter = received.length;
      resolve();
    }),
  );
  /** Largest writableLength seen: messages handed to the stream and not yet taken. */
  const sample = (): void => {
    peak = Math.max(peak, stream.writableLength);
  };
  return {
    stream,
    received,
    finished,
    sample,
    peak: () => peak,
    finishedAfter: () => finishedAfter,
  };
}

/** A sink that takes nothing until `release` (a peer that stopped reading). */
function stuckSink<T = number>(highWaterMark: number) {
  const waiting: (() => void)[] = [];
  const received: T[] = [];
  const stream = new Writable({
    objectMode: true,
    highWaterMark,
    write(message: T, _encoding, done) {
      waiting.push(() => {
        received.push(message);
        done();
      });
    },
  });
  const release = (): void => {
    for (const take of waiting.splice(0)) take();
  };
  const finished = new Promise<void>((resolve) => stream.on('finish', resolve));
  /** Takes messages, a turn of the event loop apart, until the stream finished. */
  const releaseUntilFinished = async (turns = 100): Promise<void> => {
    for (let turn = 0; turn < turns && !stream.writableFinished; turn++) {
      release();
      await nextTurn();
    }
    await finished;
  };
  return { stream, received, release, releaseUntilFinished };
}

/** `x step n` messages are progress of `x`; the rest are kept. */
const progressKey = (message: string): string | undefined =>
  message.includes(' step ') ? message.split(' ')[0] : undefined;

/** Whether `promise` settled within a few turns of the event loop. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await sleep(5);
  return settled;
}

describe('the stream writer', () => {
  it('keeps order, waits for drain (at most highWaterMark outstanding), and ends after the last', async () => {
    const sink = slowSink(2, () => 1);
    const writer = new StreamWriter<number>(sink.stream);
    for (let i = 0; i < 50; i++) {
      void writer.write(i);
      sink.sample();
    }
    writer.end();
    await sink.finished;
    expect(sink.received).toEqual([...Array(50).keys()]);
    expect(sink.peak()).toBeLessThanOrEqual(2);
    expect(sink.finishedAfter()).toBe(50);
  });

  it('writes at once, in the same tick, while the stream keeps up', () => {
    const sink = slowSink(2, () => 0);
    const writer = new StreamWriter<number>(sink.stream);
    for (let i = 0; i < 10; i++) void writer.write(i);
    expect(sink.received).toEqual([...Array(10).keys()]);
  });

  it('keeps order and the bound for any messages, highWaterMark and consumer pace', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 40 }),
        async (highWaterMark, delays, bursts) => {
          const sink = slowSink(highWaterMark, (i) => delays[i % delays.length] ?? 0);
          const writer = new StreamWriter<number>(sink.stream);
          let next = 0;
          for (const burst of bursts) {
            for (let i = 0; i < burst; i++) {
              void writer.write(next++);
              sink.sample();
            }
            await sleep(0);
          }
          writer.end();
          await sink.finished;
          expect(sink.received).toEqual([...Array(next).keys()]);
          expect(sink.peak()).toBeLessThanOrEqual(highWaterMark + 1);
          expect(sink.finishedAfter()).toBe(next);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('lets an async producer await the drain', async () => {
    const sink = slowSink(2, () => 1);
    const writer = new StreamWriter<number>(sink.stream);
    for (let i = 0; i < 20; i++) {
      await writer.write(i);
      sink.sample();
    }
    writer.end();
    await sink.finished;
    expect(sink.received).toEqual([...Array(20).keys()]);
    expect(sink.peak()).toBeLessThanOrEqual(2);
  });

  it('holds messages while blocked, and waits with end until they were handed over', async () => {
    const sink = stuckSink(2);
    const writer = new StreamWriter<number>(sink.stream);
    const writes = [1, 2, 3, 4].map((n) => writer.write(n));
    writer.end();
    expect(await settles(writes[1] ?? Promise.resolve())).toBe(true);
    expect(await settles(writes[2] ?? Promise.resolve())).toBe(false);
    expect(sink.stream.writableEnded).toBe(false);
    await sink.releaseUntilFinished();
    expect(sink.received).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['cancelled (grpc-js)', (s: Writable) => s.emit('cancelled', 'cancelled')],
    ['destroyed', (s: Writable) => s.destroy()],
    ['errored', (s: Writable) => s.destroy(new Error('broken pipe'))],
  ])('releases pending writes and drops later ones once the stream is %s', async (_, kill) => {
    const sink = stuckSink(1);
    sink.stream.on('error', () => undefined);
    const writer = new StreamWriter<number>(sink.stream);
    void writer.write(1);
    const pending = writer.write(2);
    expect(await settles(pending)).toBe(false);
    kill(sink.stream);
    expect(await settles(pending)).toBe(true);
    expect(await settles(writer.write(3))).toBe(true);
    expect(writer.closed).toBe(true);
    writer.end();
    sink.release();
    expect(sink.received).not.toContain(2);
    expect(sink.received).not.toContain(3);
  });

  it('drops a queued message that a newer one supersedes, keeping the order of the rest', async () => {
    const sink = stuckSink<string>(1);
    const writer = new StreamWriter<string>(sink.stream, {
      supersedeKey: (m) => (m.startsWith('step') ? 'step' : undefined),
    });
    const all = ['started', 'step 1', 'step 2', 'epoch 1', 'step 3'].map((m) => writer.write(m));
    writer.end();
    await sink.releaseUntilFinished();
    await Promise.all(all);
    expect(sink.received).toEqual(['started', 'epoch 1', 'step 3']);
  });

  it('supersedes per key, keeping one progress message per key queued', async () => {
    const sink = stuckSink<string>(1);
    const writer = new StreamWriter<string>(sink.stream, { supersedeKey: progressKey });
    void writer.write('started');
    for (let i = 1; i <= 200; i++) {
      void writer.write(`a step ${i}`);
      void writer.write(`b step ${i}`);
      if (i % 2 === 0) void writer.write(`a epoch ${i}`);
    }
    writer.end();
    await sink.releaseUntilFinished(1000);
    expect(sink.received.slice(0, 2)).toEqual(['started', 'a epoch 2']);
    expect(sink.received.filter((m) => m.includes('epoch'))).toHaveLength(100);
    expect(sink.received.slice(-3)).toEqual(['a step 200', 'b step 200', 'a epoch 200']);
    expect(sink.received).toHaveLength(103);
  });
});
