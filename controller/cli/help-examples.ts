/** The examples ending each `nas-ctl <command> --help`: one table, checked by a test. */
import type { HelpExamples } from '../../runtime/help-examples.ts';

const RUN = 'runs/search-20261127-2300';
const MODEL = 'runs/train-20261203-1200';

/** Examples by command path ('' is `nas-ctl --help`). */
export const CTL_EXAMPLES: HelpExamples = {
  '': [
    'nas-ctl search --strategy evolution --trials 50',
    `nas-ctl status ${RUN}`,
    'nas-ctl completion bash',
  ],
  genotype: ['nas-ctl genotype show nasnet-a', 'nas-ctl genotype sample --seed 7'],
  'genotype show': [
    'nas-ctl genotype show nasnet-a',
    'nas-ctl genotype show nasnet-a --cells 4 --filters 1056 --image 224 --classes 1000 --json',
    'nas-ctl genotype show my-cell.json --dot',
  ],
  'genotype validate': [
    'nas-ctl genotype validate my-cell.json',
    'nas-ctl genotype validate my-cell.json --space nasnet',
  ],
  'genotype sample': [
    'nas-ctl genotype sample --seed 7',
    'nas-ctl genotype sample --seed 7 --space nasnet --count 3',
  ],
  train: [
    'nas-ctl train --genotype nasnet-a --size 1@24 --epochs 1',
    'nas-ctl train --genotype my-cell.json --dataset cifar10:/data/cifar-10-batches-bin --size 6@768 --epochs 600 --cutout 16 --aux-head',
  ],
  predict: [
    `nas-ctl predict --model ${MODEL} cat.png dog.jpg`,
    `nas-ctl predict --model ${MODEL} --dataset fashion-mnist-small --json`,
  ],
  evaluate: [
    `nas-ctl evaluate --model ${MODEL}`,
    `nas-ctl evaluate --model ${MODEL} --dataset fashion-mnist-small --split train`,
  ],
  search: [
    'nas-ctl search --config docs/search-config.yaml',
    'nas-ctl search --strategy evolution --trials 200 --trainers gpu1:50051,gpu2:50051 --epochs 20',
    `nas-ctl search --resume ${RUN} --trials 400`,
  ],
  'export-model': [
    `nas-ctl export-model --model ${MODEL} --out model.keras`,
    `nas-ctl export-model --model ${MODEL} --out model.keras --force`,
  ],
  status: [`nas-ctl status ${RUN}`, `nas-ctl status ${RUN} --json`],
  best: [`nas-ctl best ${RUN} --top 5`, `nas-ctl best ${RUN} --top 1 --dot`],
  export: [
    `nas-ctl export ${RUN} --top 3 --out found/`,
    `nas-ctl export ${RUN} --trials-csv trials.csv`,
  ],
  compare: [
    'nas-ctl compare runs/rl-run runs/random-run --out rl-vs-random.svg',
    'nas-ctl compare runs/rl-run runs/random-run --out chart.svg --csv curves.csv',
  ],
  doctor: [`nas-ctl doctor ${RUN}`, `nas-ctl doctor --repair ${RUN}`],
  dashboard: [`nas-ctl dashboard ${RUN}`, `nas-ctl dashboard runs/rl-run runs/random-run --port 0`],
  completion: ['nas-ctl completion bash', 'nas-ctl completion zsh'],
};
