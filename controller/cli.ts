/** nas-ctl: the entry point of the controller's command line. Commands live in controller/cli/. */
import { Command, CommanderError } from 'commander';
import { registerGenotypeCommands } from './cli/genotype-command.ts';
import { registerTrainCommand } from './cli/train-command.ts';
import { registerSearchCommand } from './cli/search-command.ts';
import { registerStatusCommand } from './cli/status-command.ts';
import { registerBestCommand } from './cli/best-command.ts';
import { registerExportCommand } from './cli/export-command.ts';
import { registerCompareCommand } from './cli/compare-command.ts';
import { registerDoctorCommand } from './cli/doctor-command.ts';
import { reportError } from '../shared/report-error.ts';
import { VERSION } from '../shared/version.ts';

const program = new Command('nas-ctl')
  .description('cellsearch: NASNet-style neural architecture search')
  .version(VERSION)
  .option('--verbose', 'print stack traces with errors', false)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();
registerGenotypeCommands(program);
registerTrainCommand(program);
registerSearchCommand(program);
registerStatusCommand(program);
registerBestCommand(program);
registerExportCommand(program);
registerCompareCommand(program);
registerDoctorCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(err, program.opts<{ verbose: boolean }>().verbose);
  }
}
