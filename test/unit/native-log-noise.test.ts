/** nas-ctl drops exactly TensorFlow's two start-up notes from a nas-trainer child's stderr. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isNativeLogNoise, pipeWithoutNoise } from '../../controller/cli/native-log-noise.ts';

// As TensorFlow 2.21's C library printed them under `nas-ctl evaluate` on the native backend.
const BANNER =
  'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR';
const ONEDNN =
  'I0000 00:00:1796328717.180607   15923 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.';

describe('TensorFlow start-up notes', () => {
  it('are recognised; warnings, errors and our own lines are not', () => {
    expect(isNativeLogNoise(BANNER)).toBe(true);
    expect(isNativeLogNoise(ONEDNN)).toBe(true);
    expect(
      isNativeLogNoise('W0000 00:00:1.5   15923 cpu_allocator.cc:9] Allocation exceeds 10%'),
    ).toBe(false);
    expect(isNativeLogNoise('error: dataset cifar10:/nope: cannot read /nope')).toBe(false);
    expect(isNativeLogNoise('accuracy 72.00% (720/1000)')).toBe(false);
  });

  it('are dropped from a piped stream, everything else kept in order', async () => {
    const from = new PassThrough();
    const to = new PassThrough();
    const chunks: string[] = [];
    to.on('data', (c: Buffer) => chunks.push(c.toString()));
    const done = pipeWithoutNoise(from, to);
    from.end(`${BANNER}\n${ONEDNN}\nW1 real warning\nlast line\n`);
    await done;
    expect(chunks.join('')).toBe('W1 real warning\nlast line\n');
  });
});
