/** `nas-ctl best`: the top trials of a run by reward, as a table with cells, as JSON, or as DOT. */
import type { Genotype } from '../../shared/genotype.ts';
import { printable, printableJson } from '../../shared/printable.ts';
import { renderGenotypeDot, renderGenotypeTable } from '../../shared/render.ts';
import type { Latency } from '../../shared/trial.ts';
import type { RunStore } from '../store/index.ts';
import { formatCount, formatReward, isoTime, textTable } from './text-table.ts';

/** One of the best trials, with what a person compares them by. */
export interface BestEntry {
  /** 1 for the best. */
  readonly rank: number;
  readonly trialId: number;
  readonly reward: number;
  readonly hash: string;
  readonly params: number | null;
  readonly multAdds: number | null;
  readonly latency: Latency | null;
  readonly testAccuracy: number | null;
  readonly trainer: string | null;
  readonly finishedAt: string | null;
  readonly genotype: Genotype;
}

/** The `k` best trials of the run, one per genotype (see `RunStore.bestTrials`). */
export function bestEntries(store: RunStore, k: number): BestEntry[] {
  return store.bestTrials(k).map((t, i) => ({
    rank: i + 1,
    trialId: t.id,
    reward: t.reward ?? NaN,
    hash: t.hash,
    params: t.result?.params ?? null,
    multAdds: t.result?.multAdds ?? null,
    latency: t.result?.latency ?? null,
    testAccuracy: t.result?.testAccuracy ?? null,
    trainer: t.trainer,
    finishedAt: isoTime(t.finishedAt),
    genotype: t.genotype,
  }));
}

/** A rank as a fixed-width label, `01`, `02`, ... (wider when there are 100 or more). */
export function rankLabel(rank: number, of: number): string {
  return String(rank).padStart(Math.max(2, String(of).length), '0');
}

/** The summary table, then each genotype's cell tables; the run directory and hashes {@link printable}. */
export function formatBest(entries: readonly BestEntry[], runDir: string): string {
  if (entries.length === 0) return `${printable(runDir)}: no succeeded trial yet\n`;
  const rows = entries.map((e) => [
    String(e.rank),
    String(e.trialId),
    formatReward(e.reward),
    e.hash,
    e.params === null ? '-' : formatCount(e.params),
    e.multAdds === null ? '-' : formatCount(e.multAdds),
    e.latency === null ? '-' : e.latency.batch1Ms.toFixed(2),
  ]);
  const header = ['rank', 'trial', 'reward', 'hash', 'params', 'mult-adds', 'latency ms'];
  const align = ['right', 'right', 'right', 'left', 'right', 'right', 'right'] as const;
  const sections = [textTable(header, rows, align)];
  for (const e of entries) {
    sections.push(
      `#${e.rank}  trial ${e.trialId}  reward ${formatReward(e.reward)}  hash ${printable(e.hash)}\n\n` +
        renderGenotypeTable(e.genotype),
    );
  }
  return sections.join('\n\n') + '\n';
}

/** The entries as JSON, with the run they came from ({@link printableJson}: no raw control). */
export function bestJson(entries: readonly BestEntry[], run: Record<string, unknown>): string {
  return printableJson(JSON.stringify({ ...run, best: entries }, null, 2)) + '\n';
}

/** Every entry's genotype as a Graphviz digraph named after its rank and hash. */
export function bestDot(entries: readonly BestEntry[]): string {
  return entries
    .map((e) =>
      renderGenotypeDot(e.genotype, `rank_${rankLabel(e.rank, entries.length)}_${e.hash}`),
    )
    .join('');
}
