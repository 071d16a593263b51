/**
 * `--resume` takes the flags that steer this process (trainers, output, metrics, dashboard) and
 * refuses the ones that would change the stored settings.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { createProgram } from '../../controller/cli/program.ts';
import { settingsFlagsGiven } from '../../controller/cli/search-flags.ts';

/** nas-ctl's search command after parsing `args`, with its action replaced by a no-op. */
async function parsedSearch(args: string[]): Promise<Command> {
  const program = createProgram();
  const search = program.commands.find((c) => c.name() === 'search');
  if (search === undefined) throw new Error('nas-ctl has no search command');
  search.action(() => undefined);
  await program.parseAsync(['search', ...args], { from: 'user' });
  return search;
}

describe('search --resume', () => {
  it('takes metrics and dashboard flags: a resumed search can serve both', async () => {
    const search = await parsedSearch([
      '--resume',
      'runs/x',
      '--metrics-port',
      '0',
      '--metrics-host',
      '127.0.0.1',
      '--dashboard',
      '0',
      '--dashboard-host',
      '127.0.0.1',
      '--trials',
      '14',
      '--progress',
      'lines',
    ]);
    expect(settingsFlagsGiven(search)).toEqual([]);
  });

  it('names each settings flag given with it', async () => {
    const search = await parsedSearch(['--resume', 'runs/x', '--epochs', '3', '--size', '1@24']);
    expect(settingsFlagsGiven(search).sort()).toEqual(['--epochs', '--size']);
  });
});
