/** `nas-ctl genotype show|validate|sample`: inspect, check and draw genotypes. */
import { Option, type Command } from 'commander';
import { genotypeHash } from '../../shared/canonical.ts';
import { InvalidGenotypeError } from '../../shared/errors.ts';
import { createRng } from '../../shared/rng.ts';
import { sampleGenotype } from '../../shared/sample.ts';
import { DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { renderGenotypeDot } from '../../shared/render.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { readJsonFile } from '../../runtime/genotype-source.ts';
import { EXIT_INVALID_INPUT } from '../../runtime/report-error.ts';
import { nonNegativeInt, positiveInt, searchSpaceOption } from './options.ts';
import { showGenotype, type ShowOptions } from './show-genotype.ts';
import { skeletonOption } from './skeleton-option.ts';

const spaceOption = (): Option =>
  new Option('--space <name>', 'search space to check against (default, nasnet)')
    .argParser(searchSpaceOption)
    .default(DEFAULT_SPACE, 'default');

/** Adds the `genotype` command group to `program`. */
export function registerGenotypeCommands(program: Command): void {
  const genotype = program.command('genotype').description('show, validate and sample genotypes');
  genotype
    .command('show <genotype>')
    .description(
      'print a genotype (a known name such as nasnet-a, or a JSON file) with its network size',
    )
    .option('--cells <N>', 'normal cells per stack (N of N@F)', positiveInt, 6)
    .option('--filters <F>', 'penultimate filters (F of N@F; a multiple of 24)', positiveInt, 768)
    .option('--image <size>', 'input image height and width in pixels', positiveInt, 32)
    .option('--channels <n>', 'input image channels', positiveInt, 3)
    .option('--classes <K>', 'number of classes', positiveInt, 10)
    .addOption(skeletonOption())
    .option(
      '--stem-multiplier <m>',
      'stem filter multiplier (default: 3 for cifar, 1 for imagenet)',
      positiveInt,
    )
    .option('--aux-head', 'include the auxiliary head in the counts', false)
    .addOption(spaceOption())
    .addOption(new Option('--json', 'print JSON').conflicts('dot'))
    .option('--dot', 'print the cells as Graphviz DOT')
    .action(async (ref: string, options: ShowOptions) => {
      process.stdout.write(await showGenotype(ref, options));
    });
  genotype
    .command('validate <file>')
    .description(
      'check a genotype JSON file; prints every problem and exits non-zero if there are any',
    )
    .addOption(spaceOption())
    .action((file: string, options: { space: SearchSpace }) => {
      const json = readJsonFile(file);
      try {
        const parsed = parseGenotype(json, options.space);
        process.stdout.write(
          `${file}: valid genotype in space "${options.space.name}" (hash ${genotypeHash(parsed)})\n`,
        );
      } catch (err) {
        if (!(err instanceof InvalidGenotypeError)) throw err;
        process.stderr.write(`${file}: ${err.message}\n`);
        process.exitCode = EXIT_INVALID_INPUT;
      }
    });
  genotype
    .command('sample')
    .description('print a uniformly sampled valid genotype as JSON')
    .option('--seed <S>', 'random seed (default: a random one, printed on stderr)', nonNegativeInt)
    .option('--count <n>', 'how many genotypes (more than one prints a JSON array)', positiveInt, 1)
    .addOption(spaceOption())
    .option('--dot', 'print Graphviz DOT instead of JSON')
    .action((options: { seed?: number; count: number; space: SearchSpace; dot?: boolean }) => {
      const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
      if (options.seed === undefined) process.stderr.write(`seed: ${seed}\n`);
      const rng = createRng(seed);
      const genotypes = Array.from({ length: options.count }, () =>
        sampleGenotype(rng, options.space),
      );
      if (options.dot === true) {
        process.stdout.write(
          genotypes.map((g, i) => renderGenotypeDot(g, `sample_${seed}_${i}`)).join(''),
        );
      } else {
        process.stdout.write(
          JSON.stringify(genotypes.length === 1 ? genotypes[0] : genotypes, null, 2) + '\n',
        );
      }
    });
}
