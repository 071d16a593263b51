/**
 * Each cell of a genotype as a Graphviz digraph of its own. One digraph with a cluster per cell lets
 * Graphviz place the clusters as it likes (it drew the reduction cell above the normal one) and
 * shrinks both to fit one box; the page draws the two separately, normal first, each at a size
 * whose labels read.
 */
import type { Genotype } from '../../shared/genotype.ts';
import { renderGenotypeDot } from '../../shared/render.ts';
import type { CellDots } from './dashboard-types.ts';

/** The normal and the reduction cell of `genotype` as two digraphs titled `title`. */
export function cellDots(genotype: Genotype, title: string): CellDots {
  return splitCellDot(renderGenotypeDot(genotype, title));
}

/**
 * Splits renderGenotypeDot's digraph into one per cluster: the graph's header lines (title, rankdir,
 * node style) and then that cluster's lines. Its clusters open with `  subgraph "cluster_<cell>" {`
 * and close with a line `  }`; every line inside is indented further, so no label can end one.
 */
export function splitCellDot(dot: string): CellDots {
  const lines = dot.split('\n');
  const header: string[] = [];
  const clusters = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    const open = /^ {2}subgraph "cluster_(\w+)" \{$/.exec(line);
    if (open?.[1] !== undefined) {
      current = [line];
      clusters.set(open[1], current);
    } else if (current !== null) {
      current.push(line);
      if (line === '  }') current = null;
    } else if (line !== '}' && line !== '') header.push(line);
  }
  const digraph = (name: string): string =>
    [...header, ...(clusters.get(name) ?? []), '}'].join('\n') + '\n';
  return { normal: digraph('normal'), reduction: digraph('reduction') };
}
