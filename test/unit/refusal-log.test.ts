/**
 * RefusalLog (trainer/server/refusal-log.ts) on a real pino logger and virtual time: one line when a
 * (reason, peer) starts being refused, one with the count when its 10 s window ends or at close,
 * and a bounded number of peers however many call.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_PEERS, REFUSAL_LOG_WINDOW_MS, RefusalLog } from '../../trainer/server/refusal-log.ts';

interface Line {
  readonly msg: string;
  readonly peer?: string;
  readonly suppressed?: number;
}

function capture(): { log: RefusalLog; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { log: new RefusalLog(pino({ level: 'warn' }, sink)), lines };
}

const REASON = 'unauthenticated call refused';
const call = (peer: string) => ({ reason: REASON, peer, method: '/nas.v1.TrainerService/Train' });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RefusalLog', () => {
  it('logs the first refusal of a peer, then one line counting the rest when the window ends', async () => {
    const { log, lines } = capture();
    for (let i = 0; i < 500; i++) log.refused(call(`127.0.0.1:${40_000 + i}`));
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS);
    expect(lines.map((l) => [l.msg.slice(0, REASON.length), l.peer, l.suppressed])).toEqual([
      [REASON, '127.0.0.1', undefined],
      [REASON, '127.0.0.1', 499],
    ]);
    expect(lines[1]?.msg).toMatch(/ \.\.\. and 499 more refused since /);
    // A new window starts with a line of its own; a window with nothing more says nothing more.
    log.refused(call('127.0.0.1:1'));
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS);
    expect(lines).toHaveLength(3);
  });

  it('reports open counts at close', () => {
    const { log, lines } = capture();
    log.refused(call('[::1]:1'));
    log.refused(call('[::1]:2'));
    log.close();
    expect(lines.map((l) => l.suppressed)).toEqual([undefined, 1]);
  });

  it('tracks at most MAX_PEERS peers; the rest share one window', () => {
    const { log, lines } = capture();
    for (let i = 0; i < MAX_PEERS * 4; i++) log.refused(call(`10.0.${i >> 8}.${i & 255}:5000`));
    expect(lines).toHaveLength(MAX_PEERS + 1);
    expect(lines.at(-1)?.peer).toBe('*');
    log.close();
    expect(lines.at(-1)).toMatchObject({ peer: '*', suppressed: MAX_PEERS * 3 - 1 });
  });

  it('any flood: every refusal is counted once, and a (reason, peer) gets at most two lines a window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            host: fc.integer({ min: 0, max: 5 }),
            reason: fc.constantFrom(REASON, 'bad token', 'too many calls'),
            afterMs: fc.integer({ min: 0, max: REFUSAL_LOG_WINDOW_MS / 2 }),
          }),
          { maxLength: 60 },
        ),
        async (calls) => {
          const { log, lines } = capture();
          for (const { host, reason, afterMs } of calls) {
            await vi.advanceTimersByTimeAsync(afterMs);
            log.refused({ reason, peer: `10.0.0.${host}:${1000 + afterMs}`, method: '/m' });
          }
          log.close();
          const counted = lines.reduce((n, l) => n + (l.suppressed ?? 1), 0);
          expect(counted).toBe(calls.length);
          // Each count line closes a window that a first line opened.
          const firsts = lines.filter((l) => l.suppressed === undefined).length;
          expect(lines.length - firsts).toBeLessThanOrEqual(firsts);
          expect(lines.every((l) => /^10\.0\.0\.\d$/.test(l.peer ?? ''))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
