/**
 * fast-check arbitraries of protobuf bytes for the fuzz suite: valid messages mutated byte by byte,
 * messages of arbitrary fields with any wire type (right or wrong for the field), and plain random
 * bytes. Written by hand rather than with the message codecs, so wrong wire types and truncated
 * fields are as easy to make as right ones.
 */
import fc from 'fast-check';

/** A varint: 7 bits a byte, low bits first (negative numbers as 10-byte two's complement). */
export function varint(value: bigint): Buffer {
  let v = value < 0n ? value + (1n << 64n) : value;
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(out);
}

/** One field as it travels: a tag (number and wire type) and a payload written for that wire type. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  readonly payload: Buffer;
}

/** The bytes of `fields`, in order. */
export function encodeFields(fields: readonly WireField[]): Buffer {
  return Buffer.concat(
    fields.map(({ field, wireType, payload }) =>
      Buffer.concat([varint(BigInt((field << 3) | wireType)), payload]),
    ),
  );
}

/** A length-delimited payload (wire type 2): its length, then its bytes. */
export function delimited(bytes: Buffer): Buffer {
  return Buffer.concat([varint(BigInt(bytes.length)), bytes]);
}

const varintValueArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 300n }),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }),
  fc.constantFrom(-1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n),
);

const doubleBytesArb = fc
  .oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE))
  .map((x) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    return b;
  });

/** A payload for `wireType`, sometimes well formed, sometimes cut short. */
function payloadArb(wireType: number, inner: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  const cut = (b: Buffer, n: number): Buffer => b.subarray(0, Math.min(n, b.length));
  const whole: fc.Arbitrary<Buffer> =
    wireType === 0
      ? varintValueArb.map(varint)
      : wireType === 1
        ? doubleBytesArb
        : wireType === 2
          ? inner.map(delimited)
          : wireType === 5
            ? fc.uint8Array({ minLength: 4, maxLength: 4 }).map((a) => Buffer.from(a))
            : fc.constant(Buffer.alloc(0));
  return fc.oneof(
    { weight: 9, arbitrary: whole },
    { weight: 1, arbitrary: fc.tuple(whole, fc.nat(12)).map(([b, n]) => cut(b, n)) },
  );
}

/** Messages of arbitrary fields (numbers 1..`maxField`, any wire type), nested up to `depth`. */
export function fieldsArb(maxField: number, depth = 2): fc.Arbitrary<Buffer> {
  const leafText = fc.oneof(
    fc.string({ maxLength: 20 }).map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
  );
  const inner = depth <= 0 ? leafText : fc.oneof(leafText, fieldsArb(maxField, depth - 1));
  const fieldArb = fc
    .record({
      field: fc.integer({ min: 1, max: maxField }),
      wireType: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(0, 1, 2, 5) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) },
      ),
    })
    .chain(({ field, wireType }) =>
      payloadArb(wireType, inner).map((payload): WireField => ({ field, wireType, payload })),
    );
  return fc.array(fieldArb, { maxLength: 8 }).map(encodeFields);
}

/** `valid` with a few bytes changed, inserted or removed. */
export function mutatedArb(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
    byte: fc.integer({ min: 0, max: 255 }),
  });
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([bytes, edits]) =>
    edits.reduce((b, { at, kind, byte }) => {
      const i = b.length === 0 ? 0 : at % b.length;
      if (kind === 'flip')
        return Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i + 1)]);
      if (kind === 'insert')
        return Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i)]);
      if (kind === 'delete') return Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
      return b.subarray(0, i);
    }, bytes),
  );
}

/** Any bytes: random, arbitrary fields, or a mutated valid message. */
export function anyBytesArb(valid: fc.Arbitrary<Buffer>, maxField: number): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    fieldsArb(maxField),
    mutatedArb(valid),
    valid.chain((v) => fieldsArb(maxField, 1).map((extra) => Buffer.concat([v, extra]))),
  );
}

/**
 * Bytes that, appended to a message, set the field at `path` (field numbers, outer first): an
 * embedded message merges with the one already sent, a scalar replaces it, a repeated field grows.
 */
export function override(path: readonly number[], wireType: number, payload: Buffer): Buffer {
  const [field, ...rest] = path;
  if (field === undefined) return payload;
  if (rest.length === 0) return encodeFields([{ field, wireType, payload }]);
  return encodeFields([
    { field, wireType: 2, payload: delimited(override(rest, wireType, payload)) },
  ]);
}

/** The 8 bytes of a double. */
export function double(x: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return b;
}
