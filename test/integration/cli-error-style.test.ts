/**
 * One error style for both CLIs (issue #24): whether commander refuses the command line or a
 * command fails, nas-ctl and nas-trainer print `error: <message>` (a usage error with the same hint
 * under it), escape control characters echoed from the arguments, exit non-zero and show no stack.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { nasTrainer } from '../fixtures/nas-trainer-cli.ts';

/** Two CPU cores shared with other tests: a CLI start alone can take seconds. */
const SLOW = 60_000;
const USAGE_HINT = '(add --help for usage)';

type Cli = 'nas-ctl' | 'nas-trainer';

async function run(cli: Cli, args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return cli === 'nas-ctl' ? nasCtl(...args) : nasTrainer(args, process.env);
}

/** The checks every error output passes: one style, no stack, nothing raw from the terminal's view. */
function expectOneStyle(stderr: string): string[] {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: \S/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/^\w*Error\b/m);
  // eslint-disable-next-line no-control-regex
  expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  return lines;
}

describe('usage errors (commander)', () => {
  it.each<[Cli, string[]]>([
    ['nas-ctl', ['bo\u001b[31mgus']],
    ['nas-trainer', ['bo\u001b[31mgus']],
    ['nas-ctl', ['status', '--no-such-flag']],
    ['nas-trainer', ['serve', '--no-such-flag']],
    ['nas-ctl', ['train', '--genotype', 'nasnet-a', '--skeleton', 'x\u0007y']],
    ['nas-trainer', ['train']],
  ])(
    '%s %j: error: ..., then the usage hint, exit 2',
    async (cli, args) => {
      const out = await run(cli, args);
      expect(out.code).toBe(2);
      const lines = expectOneStyle(out.stderr);
      expect(lines).toEqual([expect.any(String), USAGE_HINT]);
      if (args.join(' ').includes('\u001b')) expect(lines[0]).toContain('bo\\x1b[31mgus');
      if (args.join(' ').includes('\u0007')) expect(lines[0]).toContain("'x\\x07y'");
    },
    SLOW,
  );
});

describe('failed commands', () => {
  it.each<[Cli, string[]]>([
    ['nas-ctl', ['genotype', 'show', '/no/such/genotype.json']],
    ['nas-ctl', ['status', '/no/such/run']],
    ['nas-trainer', ['serve', '--port', 'abc']],
    ['nas-trainer', ['train', '--request', '/no/such/request.json', '--out', '/tmp/never']],
  ])(
    '%s %j: error: ..., exit 1, no stack',
    async (cli, args) => {
      const out = await run(cli, args);
      expect(out.code).toBe(1);
      expectOneStyle(out.stderr);
    },
    SLOW,
  );
});

describe('an error thrown outside a command', () => {
  const REPORT_ERROR = new URL('../../runtime/report-error.ts', import.meta.url).pathname;

  it.each([
    ['thrown in a timer', "setTimeout(() => { throw new Error('boom'); }, 1);"],
    ['a rejection nobody awaits', "void Promise.reject(new TypeError('boom'));"],
  ])(
    'is reported in the same style, without a stack (%s), exit 70',
    async (_what, code) => {
      const script = `const { reportUncaught } = await import(${JSON.stringify(REPORT_ERROR)}); reportUncaught(false); ${code}`;
      const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script],
          { encoding: 'utf8' },
          (err, _stdout, stderr) => resolve({ code: err === null ? 0 : Number(err.code), stderr }),
        );
      });
      expect(out.code).toBe(70);
      const lines = expectOneStyle(out.stderr);
      expect(lines).toEqual(['error: internal error: boom', '(run with --verbose for details)']);
    },
    SLOW,
  );
});
