/** The examples ending each `nas-trainer <command> --help`: one table, checked by a test. */
import type { HelpExamples } from '../../runtime/help-examples.ts';

const MODEL = 'runs/train-20261203-1200';

/** Examples by command path ('' is `nas-trainer --help`). */
export const TRAINER_EXAMPLES: HelpExamples = {
  '': [
    'nas-trainer serve',
    'nas-trainer serve --port 0 --backend wasm',
    'nas-trainer completion bash',
  ],
  train: [
    'nas-trainer train --request trial.json',
    'nas-trainer train --request trial.json --out runs/trial-1 --backend cpu',
  ],
  serve: [
    'nas-trainer serve',
    'nas-trainer serve --port 0 --backend wasm',
    'nas-trainer serve --host 0.0.0.0 --port 50051 --token-file /etc/cellsearch/token --capacity 2',
  ],
  'install-tensorflow': [
    'nas-trainer install-tensorflow',
    'nas-trainer install-tensorflow --tensorflow-version 2.21.0',
  ],
  predict: [
    `nas-trainer predict --model ${MODEL} cat.png dog.jpg`,
    `nas-trainer predict --model ${MODEL} --dataset fashion-mnist-small --split test --json`,
  ],
  evaluate: [
    `nas-trainer evaluate --model ${MODEL} --dataset fashion-mnist-small`,
    `nas-trainer evaluate --model ${MODEL} --dataset fashion-mnist-small --backend cpu --json`,
  ],
  completion: ['nas-trainer completion bash', 'nas-trainer completion zsh'],
};
