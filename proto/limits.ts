/**
 * Message size limits, shared by trainers and clients. A request is a genotype and a few settings
 * (well under 1 KiB), so its limit is small; a response may carry a result with every epoch's metrics.
 */

/** Largest TrainRequest / GetInfoRequest a trainer accepts, in bytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Largest response message either side sends or accepts, in bytes (a result of 100k epochs fits). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
