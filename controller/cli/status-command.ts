/** `nas-ctl status <run-dir>`: where a run stands (trials by status, best so far, rate, failures). */
import type { Command } from 'commander';
import { printableJson } from '../../shared/printable.ts';
import { readRun } from '../reports/read-run.ts';
import { formatRunStatus, runStatus } from '../reports/run-status.ts';

/** Adds `status` to nas-ctl. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status <run-dir>')
    .description('show where a search run stands: trials by status, best reward, rate, failures')
    .option('--json', 'print JSON', false)
    .action(async (dir: string, options: { json: boolean }) => {
      const status = await readRun(dir, runStatus);
      process.stdout.write(
        options.json
          ? printableJson(JSON.stringify(status, null, 2)) + '\n'
          : formatRunStatus(status),
      );
    });
}
