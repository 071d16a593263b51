/**
 * TensorFlow's C library logs two start-up lines straight to the trainer process's stderr, through
 * absl before TF_CPP_MIN_LOG_LEVEL applies: absl's banner and oneDNN's "custom operations are on"
 * note. They say nothing a user can act on, so nas-ctl drops exactly these from the output of the
 * nas-trainer processes it runs; every other line (TensorFlow's warnings and errors included) passes.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const NOISE: readonly RegExp[] = [
  /^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$/,
  /^I\d{4} [\d:.]+\s+\d+ port\.cc:\d+\] oneDNN custom operations are on\./,
];

/** Whether `line` is one of TensorFlow's start-up notes. */
export function isNativeLogNoise(line: string): boolean {
  return NOISE.some((pattern) => pattern.test(line));
}

/** Copies `from` to `to` line by line without TensorFlow's start-up notes; resolves at its end. */
export async function pipeWithoutNoise(from: Readable, to: Writable): Promise<void> {
  for await (const line of createInterface({ input: from })) {
    if (!isNativeLogNoise(line)) to.write(line + '\n');
  }
}
