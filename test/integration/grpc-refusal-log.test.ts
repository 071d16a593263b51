/**
 * A real `nas-trainer serve` with a token, flooded with 1000 calls carrying a wrong one over
 * loopback from several connections: its log holds a bounded number of refusal lines, and the one
 * it writes at shutdown says how many it left out, so the flood is counted, not copied (issue #21).
 */
import { Metadata, status } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { healthCheck, killTrainers, spawnTrainer } from './grpc-helpers.ts';

const TOKEN = 'test-token-0123456789';
const CALLS = 1000;
const CONCURRENCY = 50;

afterAll(killTrainers);

/** The JSON lines of a pino log. */
function logLines(log: string): Record<string, unknown>[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line): Record<string, unknown> => JSON.parse(line) as Record<string, unknown>);
}

describe('refused calls in the trainer log', () => {
  it('1000 calls with a wrong token log a few lines that count the rest', async () => {
    const trainer = await spawnTrainer(['--backend', 'cpu'], { NAS_TRAINER_TOKEN: TOKEN });
    const wrong = new Metadata();
    wrong.set('authorization', 'Bearer not-the-token-0123456789');
    let refused = 0;
    for (let sent = 0; sent < CALLS; sent += CONCURRENCY) {
      const batch = Array.from({ length: CONCURRENCY }, () =>
        healthCheck(trainer.address, undefined, wrong).then(
          () => 'served',
          (err: unknown) =>
            err instanceof Error && 'code' in err && err.code === status.UNAUTHENTICATED,
        ),
      );
      refused += (await Promise.all(batch)).filter((r) => r === true).length;
    }
    expect(refused).toBe(CALLS);
    trainer.child.kill('SIGTERM');
    await trainer.exit;
    const lines = logLines(trainer.log()).filter((l) =>
      String(l['msg']).startsWith('unauthenticated call refused'),
    );
    // One line when the flood starts, one with the count per 10 s window: a handful, not 1000.
    expect(lines.length, trainer.log()).toBeGreaterThanOrEqual(2);
    expect(lines.length, trainer.log()).toBeLessThanOrEqual(8);
    const counted = lines.reduce(
      (sum, l) => sum + (typeof l['suppressed'] === 'number' ? l['suppressed'] : 1),
      0,
    );
    expect(counted).toBe(CALLS);
    const last = lines.at(-1);
    expect(last?.['peer']).toBe('127.0.0.1');
    expect(String(last?.['msg'])).toMatch(
      /^unauthenticated call refused \.\.\. and \d+ more refused since \d{4}-\d\d-\d\dT/,
    );
  }, 120_000);
});
