/** `nas-ctl compare <run-dir>...`: best-so-far reward against trials for several runs, as an SVG chart. */
import { writeOutputFile } from '../../runtime/output-file.ts';
import type { Command } from 'commander';

import { basename, resolve } from 'node:path';
import { bestSoFar, curvesCsv, type SearchCurve } from '../reports/best-so-far.ts';
import { renderCompareSvg } from '../reports/compare-chart.ts';
import { readRun } from '../reports/read-run.ts';

interface CompareFlags {
  readonly out: string;
  readonly title: string;
  readonly csv?: string;
}

/** Adds `compare` to nas-ctl. */
export function registerCompareCommand(program: Command): void {
  program
    .command('compare <run-dir...>')
    .description('plot the best reward so far against trials for several search runs (SVG)')
    .requiredOption('--out <file.svg>', 'the SVG file to write')
    .option('--title <text>', 'the chart title', 'best reward so far')
    .option('--csv <file>', 'also write the curves as CSV')
    .action(async (dirs: string[], flags: CompareFlags) => {
      const curves: SearchCurve[] = [];
      for (const dir of dirs) {
        curves.push(
          await readRun(dir, (store) => ({
            label: `${basename(resolve(dir))} (${store.config().strategy})`,
            points: bestSoFar(store.rewardCurve()),
          })),
        );
      }
      await writeOutputFile(flags.out, renderCompareSvg(curves, flags.title));
      process.stdout.write(`${flags.out}\n`);
      if (flags.csv !== undefined) {
        await writeOutputFile(flags.csv, curvesCsv(curves));
        process.stdout.write(`${flags.csv}\n`);
      }
    });
}
