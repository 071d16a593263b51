/**
 * The serialized tensorflow.ConfigProto a graph session starts with: the thread counts and,
 * optionally, grappler's meta optimizer turned off, written by hand (a few varint and nested
 * fields) so no protobuf schema is needed.
 */

/** Session options the graph step sets. */
export interface SessionConfig {
  /** Threads one kernel may use (ConfigProto field 2, intra_op_parallelism_threads). */
  readonly intraOpThreads: number;
  /** Kernels that may run at once (ConfigProto field 5, inter_op_parallelism_threads). */
  readonly interOpThreads: number;
  /**
   * Grappler's meta optimizer (default on, TensorFlow's default). Off
   * (graph_options.rewrite_options.disable_meta_optimizer) the first step of a 1@48 NASNet graph
   * took 0.2 s instead of 1.3-1.6 s, later steps about 10% longer (docs/graph-step.md).
   */
  readonly graphOptimizer?: boolean;
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

/** A length-delimited field (wire type 2) holding `body`. */
function message(number: number, body: readonly number[]): number[] {
  return [...varint((number << 3) | 2), ...varint(body.length), ...body];
}

/** A varint field (wire type 0). */
function field(number: number, value: number): number[] {
  return [...varint((number << 3) | 0), ...varint(value)];
}

/**
 * The ConfigProto bytes of `config` (field numbers from tensorflow/core/protobuf/config.proto and
 * rewriter_config.proto: ConfigProto.graph_options 10, GraphOptions.rewrite_options 10,
 * RewriterConfig.disable_meta_optimizer 19).
 */
export function encodeSessionConfig(config: SessionConfig): Uint8Array {
  const threads = [...field(2, config.intraOpThreads), ...field(5, config.interOpThreads)];
  if (config.graphOptimizer !== false) return Uint8Array.from(threads);
  return Uint8Array.from([...threads, ...message(10, message(10, field(19, 1)))]);
}
