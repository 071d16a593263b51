/**
 * The serialized tensorflow.ConfigProto a graph session starts with. Only the thread counts for
 * now, written by hand (two varint fields) so no protobuf schema is needed; grappler options
 * (graph_options.rewrite_options) are the next fields to add.
 */

/** Session options the graph step sets. */
export interface SessionConfig {
  /** Threads one kernel may use (ConfigProto field 2, intra_op_parallelism_threads). */
  readonly intraOpThreads: number;
  /** Kernels that may run at once (ConfigProto field 5, inter_op_parallelism_threads). */
  readonly interOpThreads: number;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}

/** The ConfigProto bytes of `config` (field numbers from tensorflow/core/protobuf/config.proto). */
export function encodeSessionConfig(config: SessionConfig): Uint8Array {
  const field = (number: number, value: number): number[] => [(number << 3) | 0, ...varint(value)];
  return Uint8Array.from([...field(2, config.intraOpThreads), ...field(5, config.interOpThreads)]);
}
