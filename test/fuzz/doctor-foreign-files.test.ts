/**
 * `doctor` and `doctor --repair` on whatever bytes sit where run.sqlite should be (issue #21): any
 * file that is not a run store — random bytes, bytes behind the SQLite header, a cut-off database —
 * is refused with NotARunError and left byte-identical, with nothing written beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotARunError } from '../../controller/store/errors.ts';
import { diagnoseRun, repairRun } from '../../controller/store/run-doctor.ts';

const RUN_FILE = 'run.sqlite';
const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Bytes that are no run store: plain noise, or noise behind the SQLite header. */
const foreignBytes = fc.oneof(
  fc.uint8Array({ maxLength: 8192 }),
  fc.uint8Array({ maxLength: 8192 }).map((tail) => Buffer.concat([HEADER, tail])),
);

describe('doctor on a file that is no run store', () => {
  it('refuses it and leaves it byte-identical, with nothing beside it', () => {
    fc.assert(
      fc.property(foreignBytes, fc.boolean(), (bytes, repair) => {
        const dir = mkdtempSync(join(tmpdir(), 'cellsearch-doctor-fuzz-'));
        const file = join(dir, RUN_FILE);
        writeFileSync(file, bytes);
        expect(() => (repair ? repairRun(dir) : diagnoseRun(dir))).toThrow(NotARunError);
        expect(readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
        expect(readdirSync(dir)).toEqual([RUN_FILE]);
      }),
      { numRuns: 150 },
    );
  });
});
