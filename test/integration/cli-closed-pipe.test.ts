/**
 * Output into a pipe whose reader has gone (`nas-ctl ... | head`; here `| true`, whose reader is gone before the first write): the command ends quietly with
 * its own code, as a Unix filter does, never with an unhandled EPIPE and a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
const TRAINER = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;

describe('a command whose output pipe closes early', () => {
  for (const [name, bin, args] of [
    ['nas-ctl search --help', CTL, ['search', '--help']],
    ['nas-ctl genotype show', CTL, ['genotype', 'show', 'nasnet-a']],
    ['nas-trainer serve --help', TRAINER, ['serve', '--help']],
  ] as const) {
    it(`${name} | true (a reader gone at once) ends quietly`, () => {
      const shell = `"${process.execPath}" "${bin}" ${args.join(' ')} | true; echo "rc \${PIPESTATUS[0]}" >&2`;
      const run = spawnSync('bash', ['-c', shell], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).not.toContain('EPIPE');
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr.trim().split('\n').at(-1)).toBe('rc 0');
    }, 60_000);
  }
});
