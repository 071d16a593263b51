/** nas-ctl's command tree: every command registered once, for the entry point and for tests. */
import { Command } from 'commander';
import { VERSION } from '../../runtime/version.ts';
import { withErrorOutput } from '../../runtime/report-error.ts';
import { registerGenotypeCommands } from './genotype-command.ts';
import { registerTrainCommand } from './train-command.ts';
import { registerPredictCommand } from './predict-command.ts';
import { registerEvaluateCommand } from './evaluate-command.ts';
import { registerSearchCommand } from './search-command.ts';
import { registerStatusCommand } from './status-command.ts';
import { registerBestCommand } from './best-command.ts';
import { registerExportCommand } from './export-command.ts';
import { registerExportModelCommand } from './export-model-command.ts';
import { registerCompareCommand } from './compare-command.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerDashboardCommand } from './dashboard-command.ts';
import { addCompletionCommand } from '../../runtime/completion-command.ts';
import { addHelpExamples } from '../../runtime/help-examples.ts';
import { CTL_EXAMPLES } from './help-examples.ts';

/** Builds nas-ctl with all its commands; parse errors throw a CommanderError instead of exiting. */
export function createProgram(): Command {
  const program = withErrorOutput(new Command('nas-ctl'))
    .description('cellsearch: NASNet-style neural architecture search')
    .version(VERSION)
    .option('--verbose', 'print stack traces with errors', false)
    .exitOverride();
  for (const register of [
    registerGenotypeCommands,
    registerTrainCommand,
    registerPredictCommand,
    registerEvaluateCommand,
    registerSearchCommand,
    registerStatusCommand,
    registerBestCommand,
    registerExportCommand,
    registerExportModelCommand,
    registerCompareCommand,
    registerDoctorCommand,
    registerDashboardCommand,
  ])
    register(program);
  addCompletionCommand(program);
  addHelpExamples(program, CTL_EXAMPLES);
  return program;
}
