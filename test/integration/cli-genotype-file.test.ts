/**
 * Genotype files as nas-ctl reads them (issue #10): only a regular file is read, so a FIFO or a
 * folder is refused at once instead of hanging; an error never echoes the file's bytes (a symlink
 * may point at a secret); a UTF-8 byte-order mark is accepted. Real nas-ctl processes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NASNET_A } from '../../shared/known-genotypes.ts';

const CTL = new URL('../../bin/nas-ctl.js', import.meta.url).pathname;
/** A refusal is at once; a FIFO read would wait forever (killed at this limit). */
const LIMIT_MS = 20_000;

const dir = mkdtempSync(join(tmpdir(), 'cellsearch-genotype-file-'));
const fifo = join(dir, 'fifo.json');
execFileSync('mkfifo', [fifo]);
const secret = join(dir, 'secret');
writeFileSync(secret, 'root:*:20211:0:99999:7:::\n');
const link = join(dir, 'link.json');
symlinkSync(secret, link);
const bom = join(dir, 'bom.json');
writeFileSync(bom, '\uFEFF' + JSON.stringify(NASNET_A, null, 2));

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `nas-ctl ...args`, SIGKILLed after {@link LIMIT_MS} (then `code` is null). */
function nasCtl(...args: string[]): Promise<Ended> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CTL, ...args],
      { encoding: 'utf8', timeout: LIMIT_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('genotype files', () => {
  it.each([
    ['genotype', 'validate', fifo],
    ['genotype', 'show', fifo],
    ['train', '--genotype', fifo, '--out', join(dir, 'out')],
  ])(
    'refuses a FIFO at once: nas-ctl %s %s',
    async (...args) => {
      const ended = await nasCtl(...args);
      expect(ended.code).toBe(1);
      expect(ended.stderr).toContain(
        `genotype file ${fifo}: is a FIFO (named pipe), not a regular file`,
      );
    },
    LIMIT_MS + 10_000,
  );

  it('refuses a folder, naming it', async () => {
    const ended = await nasCtl('genotype', 'validate', dir);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain(`genotype file ${dir}: is a directory, not a regular file`);
  });

  it('names the file and the position of a syntax error, never its bytes', async () => {
    for (const args of [
      ['genotype', 'validate', link],
      ['genotype', 'show', link],
    ]) {
      const ended = await nasCtl(...args);
      expect(ended.code).toBe(1);
      expect(ended.stderr).toContain(`genotype file ${link}: not valid JSON at line 1, column 1`);
      expect(ended.stderr).not.toMatch(/root|20211/);
    }
  });

  it('accepts a UTF-8 byte-order mark', async () => {
    const ended = await nasCtl('genotype', 'validate', bom);
    expect(ended.stderr).toBe('');
    expect(ended.stdout).toContain(`${bom}: valid genotype`);
    expect(ended.code).toBe(0);
  });
});
