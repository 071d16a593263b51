/**
 * The trainer's log on a disk that fills up (issue #21): lines are dropped and counted instead of
 * ending the trainer, and the first line that fits again says how many were lost and why.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logDestination } from '../../trainer/server/log-destination.ts';

describe('the trainer log destination', () => {
  it('drops what /dev/full refuses, without throwing', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const log = logDestination((text) => void writeSync(fd, text));
      for (let i = 0; i < 5; i++) expect(() => log.write(`{"msg":"line ${i}"}\n`)).not.toThrow();
      expect(log.dropped()).toBe(5);
    } finally {
      closeSync(fd);
    }
  });

  it('keeps every line the disk takes, each run of lost lines noted with its count before the next', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), (fits) => {
        const written: string[] = [];
        let full = false;
        const log = logDestination((text) => {
          if (full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          written.push(text);
        });
        const expected: string[] = [];
        let lost = 0;
        for (const [i, ok] of fits.entries()) {
          full = !ok;
          const line = `{"msg":"line ${i}"}\n`;
          log.write(line);
          if (!ok) {
            lost++;
            continue;
          }
          if (lost > 0) expected.push(`log: ${lost} line${lost === 1 ? '' : 's'} dropped (ENOSPC)`);
          expected.push(line);
          lost = 0;
        }
        const seen = written.map((t) =>
          t.startsWith('{"level"') ? (JSON.parse(t) as { msg: string }).msg : t,
        );
        expect(seen).toEqual(expected);
        expect(log.dropped()).toBe(lost);
      }),
      { numRuns: 100 },
    );
  });
});
