/** `nas-ctl genotype show`: a genotype's cells and the size of the network built from it, as text, JSON or DOT. */
import { genotypeHash } from '../../shared/canonical.ts';
import { complexity, type Complexity } from '../../shared/complexity.ts';
import {
  branchFilters,
  parseNetworkSettings,
  type NetworkSettings,
} from '../../shared/network-settings.ts';
import { renderGenotypeDot, renderGenotypeTable } from '../../shared/render.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { loadGenotype } from '../../runtime/genotype-source.ts';
import { resolveSkeleton, type SkeletonChoice } from './skeleton-option.ts';

/** The flags of `genotype show`, as commander parses them. */
export interface ShowOptions {
  readonly cells: number;
  readonly filters: number;
  readonly image: number;
  readonly channels: number;
  readonly classes: number;
  readonly skeleton: SkeletonChoice;
  readonly stemMultiplier?: number;
  readonly auxHead: boolean;
  readonly space: SearchSpace;
  readonly json?: boolean;
  readonly dot?: boolean;
}

/** The text `genotype show` prints for `ref` with `options`. */
export async function showGenotype(ref: string, options: ShowOptions): Promise<string> {
  const { source, genotype } = await loadGenotype(ref, options.space);
  if (options.dot === true) return renderGenotypeDot(genotype, source);
  const settings = parseNetworkSettings({
    cells: options.cells,
    filters: options.filters,
    imageSize: options.image,
    channels: options.channels,
    classes: options.classes,
    skeleton: resolveSkeleton(options.skeleton, options.image),
    auxHead: options.auxHead,
    ...(options.stemMultiplier === undefined ? {} : { stemMultiplier: options.stemMultiplier }),
  });
  const size = complexity(genotype, settings);
  const hash = genotypeHash(genotype);
  if (options.json === true) {
    const network = { ...settings, branchFilters: branchFilters(settings.filters) };
    return (
      JSON.stringify(
        { source, hash, space: options.space.name, genotype, network, complexity: size },
        null,
        2,
      ) + '\n'
    );
  }
  return (
    [
      `genotype ${source}  (hash ${hash})`,
      '',
      renderGenotypeTable(genotype),
      '',
      describeNetwork(settings, size),
    ].join('\n') + '\n'
  );
}

function describeNetwork(s: NetworkSettings, size: Complexity): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  const aux = s.auxHead ? 'with aux head' : 'no aux head';
  return [
    `network: ${s.skeleton} skeleton, ${s.cells} @ ${s.filters} (f = ${branchFilters(s.filters)}), ` +
      `${s.imageSize}x${s.imageSize}x${s.channels} input, ${s.classes} classes, ${aux}, stem multiplier ${s.stemMultiplier}`,
    `parameters:    ${count(size.params)} trainable (+ ${count(size.bnStatistics)} batch-norm statistics)`,
    `multiply-adds: ${count(size.multAdds)}`,
  ].join('\n');
}
