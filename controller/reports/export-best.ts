/**
 * `nas-ctl export`: the best genotypes of a run as files. Each `rank-NN-<hash>.json` holds exactly
 * a genotype (what `genotype validate` and `train --genotype` read); `summary.json` says where each
 * came from and how it did.
 */
import { writeOutputFile } from '../../runtime/output-file.ts';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunStore } from '../store/index.ts';
import { bestEntries, rankLabel, type BestEntry } from './best-report.ts';

/** The name of the summary file an export writes. */
export const SUMMARY_FILE = 'summary.json';

/** What `summary.json` holds. */
export interface ExportSummary {
  readonly run: string;
  readonly strategy: string;
  readonly seed: number;
  /** The search space the genotypes belong to (pass it to `genotype validate --space`). */
  readonly space: string;
  readonly exportedAt: string;
  readonly genotypes: readonly (Omit<BestEntry, 'genotype'> & { readonly file: string })[];
}

/** Writes the `k` best genotypes of the run and the summary into `outDir` (made if missing). */
export async function exportBest(
  store: RunStore,
  k: number,
  outDir: string,
): Promise<ExportSummary> {
  const config = store.config();
  const entries = bestEntries(store, k);
  await mkdir(outDir, { recursive: true });
  const genotypes = [];
  for (const { genotype, ...entry } of entries) {
    const file = `rank-${rankLabel(entry.rank, entries.length)}-${entry.hash}.json`;
    await writeOutputFile(join(outDir, file), JSON.stringify(genotype, null, 2) + '\n');
    genotypes.push({ file, ...entry });
  }
  const summary: ExportSummary = {
    run: resolve(store.dir),
    strategy: config.strategy,
    seed: config.seed,
    space: config.space.name,
    exportedAt: new Date().toISOString(),
    genotypes,
  };
  await writeOutputFile(join(outDir, SUMMARY_FILE), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
