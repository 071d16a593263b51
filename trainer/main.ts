/** nas-trainer: the trainer's command line. The gRPC `serve` command arrives with the trainer server. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../shared/version.ts';

const program = new Command('nas-trainer')
  .description('cellsearch trainer: builds and trains child networks for nas-ctl')
  .version(VERSION)
  .exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
}
