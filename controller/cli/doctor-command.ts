/** `nas-ctl doctor <run-dir> [--repair]`: lists a run's problems, one a line, and repairs them. */
import type { Command } from 'commander';
import { diagnoseRun, repairRun } from '../store/run-doctor.ts';
import { formatProblem } from '../store/store-problem.ts';

/** Adds `doctor` to nas-ctl. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor <run-dir>')
    .description(
      'check a run directory (schema, every trial, the journal, the snapshot, a candidate two searches at once asked, told or queued twice); exit 1 if damaged',
    )
    .option(
      '--repair',
      'copy the database aside (run.sqlite.bak-<time>), then repair what can be repaired; refused while a search holds the run',
      false,
    )
    .action((dir: string, flags: { repair: boolean }) => {
      const out = (line: string): boolean => process.stdout.write(`${line}\n`);
      if (!flags.repair) {
        const problems = diagnoseRun(dir);
        for (const p of problems) out(formatProblem(p));
        out(problems.length === 0 ? `${dir}: no problems` : `${dir}: ${count(problems.length)}`);
        process.exitCode = problems.length === 0 ? 0 : 1;
        return;
      }
      const report = repairRun(dir);
      for (const p of report.found) out(formatProblem(p));
      if (report.backup !== null) out(`copied the database to ${report.backup} before repairing`);
      out(`${dir}: repaired ${report.repaired.length} of ${count(report.found.length)}`);
      for (const p of report.left) out(`still: ${formatProblem(p)}`);
      out(
        report.left.length === 0
          ? `${dir}: no problems left`
          : `${dir}: ${count(report.left.length)} left`,
      );
      process.exitCode = report.left.length === 0 ? 0 : 1;
    });
}

function count(n: number): string {
  return `${n} problem${n === 1 ? '' : 's'}`;
}
