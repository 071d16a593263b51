/**
 * `nas-ctl compare <run-dir>...`: best-so-far reward against trials for several runs, as an SVG
 * chart. Runs whose rewards mean different things (another dataset, network or training of each
 * candidate: controller/reports/settings-diff.ts) are refused, with a table of what differs, unless
 * `--allow-different-settings`; then the table is a warning and the chart's legend names the values.
 */
import { writeOutputFile } from '../../runtime/output-file.ts';
import type { Command } from 'commander';

import { basename, resolve } from 'node:path';
import { CellsearchError } from '../../shared/errors.ts';
import { bestSoFar, curvesCsv, type SearchCurve } from '../reports/best-so-far.ts';
import { renderCompareSvg } from '../reports/compare-chart.ts';
import { readRun } from '../reports/read-run.ts';
import {
  comparableSettings,
  settingsDiff,
  type ComparableSettings,
  type SettingDifference,
} from '../reports/settings-diff.ts';
import { textTable } from '../reports/text-table.ts';

interface CompareFlags {
  readonly out: string;
  readonly title: string;
  readonly csv?: string;
  readonly allowDifferentSettings: boolean;
}

/** Differing settings named in a legend label at most; more are in the warning's table only. */
const LEGEND_SETTINGS = 3;

/** Runs whose settings make their rewards incomparable, compared without --allow-different-settings. */
export class DifferentSettingsError extends CellsearchError {
  constructor(table: string) {
    super(
      'DIFFERENT_SETTINGS',
      `the runs were searched with different settings, so their rewards are not comparable:\n${table}\n` +
        'add --allow-different-settings to plot them anyway (the legend then names the differing values)',
    );
  }
}

/** One run as read for the chart: its curve and its compared settings. */
interface ComparedRun {
  readonly curve: SearchCurve;
  readonly settings: ComparableSettings;
}

/** Adds `compare` to nas-ctl. */
export function registerCompareCommand(program: Command): void {
  program
    .command('compare <run-dir...>')
    .description('plot the best reward so far against trials for several search runs (SVG)')
    .requiredOption('--out <file.svg>', 'the SVG file to write')
    .option('--title <text>', 'the chart title', 'best reward so far')
    .option('--csv <file>', 'also write the curves as CSV')
    .option(
      '--allow-different-settings',
      'plot runs whose dataset, network, training or reward settings differ (default: refused, with a table of the differences)',
      false,
    )
    .action(async (dirs: string[], flags: CompareFlags) => {
      const runs: ComparedRun[] = [];
      for (const dir of dirs) runs.push(await readComparedRun(dir));
      const differences = settingsDiff(runs.map((run) => run.settings));
      const labels = runs.map((run) => run.curve.label);
      if (differences.length > 0) {
        const table = differencesTable(differences, labels);
        if (!flags.allowDifferentSettings) throw new DifferentSettingsError(table);
        process.stderr.write(
          `nas-ctl: warning: the runs were searched with different settings (--allow-different-settings):\n${table}\n`,
        );
      }
      const curves = runs.map((run, i) => ({
        ...run.curve,
        label: legendLabel(run.curve.label, differences, i),
      }));
      await writeOutputFile(flags.out, renderCompareSvg(curves, flags.title));
      process.stdout.write(`${flags.out}\n`);
      if (flags.csv !== undefined) {
        await writeOutputFile(flags.csv, curvesCsv(curves));
        process.stdout.write(`${flags.csv}\n`);
      }
    });
}

async function readComparedRun(dir: string): Promise<ComparedRun> {
  return readRun(dir, (store) => {
    const config = store.config();
    return {
      curve: {
        label: `${basename(resolve(dir))} (${config.strategy})`,
        points: bestSoFar(store.rewardCurve()),
      },
      settings: comparableSettings(config, dir),
    };
  });
}

/** One row per differing setting, one column per run (headed by its label). */
export function differencesTable(
  differences: readonly SettingDifference[],
  labels: readonly string[],
): string {
  return textTable(
    ['setting', ...labels],
    differences.map((d) => [d.key, ...d.values]),
  );
}

/** `label` with the run's values of the first differing settings: `a (rl; training.epochs 2)`. */
function legendLabel(
  label: string,
  differences: readonly SettingDifference[],
  run: number,
): string {
  if (differences.length === 0) return label;
  const shown = differences.slice(0, LEGEND_SETTINGS).map((d) => `${d.key} ${d.values[run]}`);
  const more = differences.length > LEGEND_SETTINGS ? ', ...' : '';
  return `${label} [${shown.join(', ')}${more}]`;
}
