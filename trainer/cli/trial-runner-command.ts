/** `nas-trainer trial-runner` (hidden): the trial process `serve` starts per slot (trainer/runner/). */
import type { Command } from 'commander';
import { runTrialProcess } from '../runner/trial-runner-main.ts';

/** Adds the hidden `trial-runner` command to the nas-trainer program. */
export function registerTrialRunnerCommand(program: Command): void {
  program
    .command('trial-runner', { hidden: true })
    .description('run trials for the `serve` process that started this one (over its IPC channel)')
    .action(async () => {
      await runTrialProcess();
    });
}
