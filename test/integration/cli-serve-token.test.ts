/**
 * `nas-trainer serve --token-file` (issue #10): the token comes from a file, so it stays out of
 * `ps`; a trainer started so refuses callers without it. Both token flags together, or a file that
 * cannot be read, are refused before the server starts. Real trainer processes on 127.0.0.1:0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTrainerClient,
  type TrainerClientOptions,
} from '../../controller/trainer-client/index.ts';
import { nasTrainer } from '../fixtures/nas-trainer-cli.ts';
import { callFailure, killTrainers, spawnTrainer } from './grpc-helpers.ts';

const TOKEN = 'token-from-a-file-42';
const dir = mkdtempSync(join(tmpdir(), 'cellsearch-serve-token-'));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, `${TOKEN}\n`);
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const shortFile = join(dir, 'short');
writeFileSync(shortFile, 'secret\n');

afterAll(killTrainers);

/** The environment without a token of its own. */
function envWithoutToken(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NAS_TRAINER_TOKEN'];
  return env;
}

async function info(options: TrainerClientOptions): Promise<unknown> {
  const client = createTrainerClient(options);
  try {
    return await client.info();
  } finally {
    client.close();
  }
}

describe('nas-trainer serve --token-file', () => {
  it('serves callers with the token from the file and refuses others; the token is not in its arguments', async () => {
    const trainer = await spawnTrainer(['--backend', 'cpu', '--token-file', tokenFile]);
    const argv = readFileSync(`/proc/${trainer.child.pid}/cmdline`, 'utf8');
    expect(argv).not.toContain(TOKEN);
    expect(await info({ address: trainer.address, token: TOKEN })).toMatchObject({
      backend: 'cpu',
    });
    const refused = await callFailure(info({ address: trainer.address, token: 'another-token-1' }));
    expect(refused.message).toMatch(/UNAUTHENTICATED/);
  });

  it.each([
    [
      ['--token', TOKEN, '--token-file', tokenFile],
      /--token-file: give the token once: --token or --token-file/,
    ],
    [['--token-file', join(dir, 'missing')], /--token-file: .*missing: no such file/],
    [['--token-file', fifo], /--token-file: .*fifo: is a FIFO \(named pipe\), not a regular file/],
    [
      ['--token-file', shortFile],
      /--token-file: the token \(in .*short\) must be at least 8 printable ASCII/,
    ],
  ])(
    'refuses %j before serving',
    async (args, says) => {
      const ended = await nasTrainer(
        ['serve', '--port', '0', '--backend', 'cpu', ...args],
        envWithoutToken(),
        20_000,
      );
      expect(ended.stderr).toMatch(says);
      expect(ended.stderr).not.toContain('secret');
      expect(ended.code).toBe(1);
      expect(ended.stdout).not.toContain('listening');
    },
    30_000,
  );
});
