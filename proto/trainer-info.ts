/** What a trainer says about itself (the GetInfo RPC), as a domain value. */

/**
 * The protocol version a trainer speaks, "MAJOR.MINOR": MAJOR is the package's (nas.v1); MINOR grows
 * with backward-compatible additions to the .proto files.
 */
export const PROTOCOL_VERSION = '1.3';

/** A trainer's capacity, load, backend and versions. */
export interface TrainerInfo {
  /** Trials it runs at once; a trial beyond them is refused with RESOURCE_EXHAUSTED. */
  readonly capacity: number;
  /** Trials running now. */
  readonly running: number;
  /** The tfjs backend, e.g. `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** The device in words. */
  readonly device: string;
  /** The protocol version ({@link PROTOCOL_VERSION} of the trainer's build). */
  readonly protocolVersion: string;
  /** The trainer's cellsearch version. */
  readonly cellsearchVersion: string;
  /**
   * The most memory (bytes) a trial's estimate may need on this trainer (shared/memory-estimate.ts);
   * null when it sets no limit (trainers before protocol 1.2 report none).
   */
  readonly maxMemoryBytes: number | null;
}
