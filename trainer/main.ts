/** nas-trainer: the trainer's command line. */
import { Command, CommanderError } from 'commander';
import { endQuietlyOnClosedPipe, reportError } from '../runtime/report-error.ts';
import { VERSION } from '../runtime/version.ts';
import { registerInstallTensorflowCommand } from './cli/install-tensorflow-command.ts';
import { registerEvaluateCommand } from './cli/evaluate-command.ts';
import { registerPredictCommand } from './cli/predict-command.ts';
import { registerServeCommand } from './cli/serve-command.ts';
import { registerTrainCommand } from './cli/train-command.ts';
import { registerTrialRunnerCommand } from './cli/trial-runner-command.ts';

endQuietlyOnClosedPipe();
const program = new Command('nas-trainer')
  .description('cellsearch trainer: builds and trains child networks for nas-ctl')
  .version(VERSION)
  .option('--verbose', 'print stack traces with errors', false)
  .exitOverride();
registerTrainCommand(program);
registerServeCommand(program);
registerInstallTensorflowCommand(program);
registerTrialRunnerCommand(program);
registerPredictCommand(program);
registerEvaluateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(err, program.opts<{ verbose: boolean }>().verbose);
  }
}
