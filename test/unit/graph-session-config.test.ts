/**
 * The hand-written ConfigProto encoding of trainer/graph/session-config.ts: field 2 and field 5 as
 * varints, for thread counts on both sides of the one-byte varint limit, and the nested fields
 * that turn grappler's meta optimizer off.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSessionConfig } from '../../trainer/graph/session-config.ts';

/** A minimal protobuf reader: field number -> varint value. */
function decodeVarints(bytes: Uint8Array): Map<number, number> {
  const fields = new Map<number, number>();
  let i = 0;
  const next = (): number => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = bytes[i++];
      if (byte === undefined) throw new Error('truncated varint');
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (i < bytes.length) {
    const key = next();
    expect(key & 7).toBe(0);
    fields.set(key >> 3, next());
  }
  return fields;
}

describe('encodeSessionConfig', () => {
  it('writes intra-op threads as field 2 and inter-op threads as field 5', () => {
    expect([...encodeSessionConfig({ intraOpThreads: 2, interOpThreads: 3 })]).toEqual([
      0x10, 2, 0x28, 3,
    ]);
  });

  it('turns grappler off as graph_options { rewrite_options { disable_meta_optimizer: true } }', () => {
    const config = { intraOpThreads: 2, interOpThreads: 3 };
    expect([...encodeSessionConfig({ ...config, graphOptimizer: true })]).toEqual([
      0x10, 2, 0x28, 3,
    ]);
    // 0x52: field 10, wire type 2; 0x98 0x01: field 19, wire type 0 (a two-byte key).
    expect([...encodeSessionConfig({ ...config, graphOptimizer: false })]).toEqual([
      0x10, 2, 0x28, 3, 0x52, 5, 0x52, 3, 0x98, 0x01, 1,
    ]);
  });

  it('round-trips any thread counts through a varint reader', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (intra, inter) => {
          const fields = decodeVarints(
            encodeSessionConfig({ intraOpThreads: intra, interOpThreads: inter }),
          );
          expect(fields).toEqual(
            new Map([
              [2, intra],
              [5, inter],
            ]),
          );
        },
      ),
    );
  });
});
