/** nas-trainer's command tree: every command registered once, for the entry point and for tests. */
import { Command } from 'commander';
import { VERSION } from '../../runtime/version.ts';
import { withErrorOutput } from '../../runtime/report-error.ts';
import { addCompletionCommand } from '../../runtime/completion-command.ts';
import { addHelpExamples } from '../../runtime/help-examples.ts';
import { registerInstallTensorflowCommand } from './install-tensorflow-command.ts';
import { registerEvaluateCommand } from './evaluate-command.ts';
import { registerPredictCommand } from './predict-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerTrainCommand } from './train-command.ts';
import { registerTrialRunnerCommand } from './trial-runner-command.ts';
import { TRAINER_EXAMPLES } from './help-examples.ts';

/** Builds nas-trainer with all its commands; parse errors throw a CommanderError instead of exiting. */
export function createTrainerProgram(): Command {
  const program = withErrorOutput(new Command('nas-trainer'))
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
  addCompletionCommand(program);
  addHelpExamples(program, TRAINER_EXAMPLES);
  return program;
}
