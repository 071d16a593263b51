/** nas-ctl: the entry point of the controller's command line. Commands live in controller/cli/. */
import { CommanderError } from 'commander';
import { endQuietlyOnClosedPipe, reportError, reportUncaught } from '../runtime/report-error.ts';
import { createProgram } from './cli/program.ts';

endQuietlyOnClosedPipe();
reportUncaught(process.argv.includes('--verbose'));
const program = createProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(err, program.opts<{ verbose: boolean }>().verbose);
  }
}
