/**
 * Dataset specs: what `--dataset` names, the wire's `dataset` field carries and the run store keeps.
 * One table lists every kind of dataset, each entry with its spec syntax (whether it reads a folder,
 * its options with their ranges and defaults) and its facts (image shape, classes, sizes); the
 * {@link DatasetSpec} type, the parser, the canonical string, the `--help` forms and the facts
 * (shared/dataset-facts.ts) all follow from it, through shared/dataset-registry.ts.
 */
import type { z } from 'zod';
import { datasetKind, type DatasetKindTable, type DatasetSpecsOf } from './dataset-kind.ts';
import { datasetRegistry } from './dataset-registry.ts';
import { integer, oneOf } from './schema.ts';

/** CIFAR-10 and CIFAR-100: 50000 training and 10000 test images of 32x32 RGB (Krizhevsky 2009). */
const CIFAR = {
  image: { height: 32, width: 32, channels: 3 },
  trainCount: 50_000,
  testCount: 10_000,
};

/** MNIST and Fashion-MNIST: 60000 training and 10000 test images of 28x28 grey, 10 classes. */
const MNIST = {
  image: { height: 28, width: 28, channels: 1 },
  classes: 10,
  trainCount: 60_000,
  testCount: 10_000,
};

/**
 * Every kind of dataset, in the order `--help` lists them. Adding a kind is one entry here (its
 * syntax and facts) and one reader in the trainer's table (trainer/data/read-dataset.ts).
 */
export const DATASET_KIND_TABLE = Object.freeze({
  /**
   * The embedded default: 6000 training and 1000 test images of Fashion-MNIST, 600 and 100 per class,
   * shipped in the repository (datasets/fashion-mnist-small/, MIT licence).
   */
  'fashion-mnist-small': datasetKind({
    dir: false,
    options: {},
    facts: () => ({ ...MNIST, trainCount: 6000, testCount: 1000 }),
  }),
  /** The built-in synthetic dataset (trainer/data/synthetic.ts): oriented gratings, one per class. */
  synthetic: datasetKind({
    dir: false,
    options: {
      classes: integer(2, 1000, 'classes').default(10),
      // 512 is above NASNet-Large's 331x331; larger synthetic images teach nothing new.
      size: integer(8, 512, 'image side in pixels').default(32),
      // 1e6 is the order of ImageNet's 1.28M; memory admission refuses what a trainer cannot hold.
      train: integer(1, 1_000_000, 'training examples').default(5000),
      test: integer(0, 1_000_000, 'test examples; 0 = no test split').default(1000),
      seed: integer(0, 2 ** 32 - 1, 'generator seed').default(0),
    },
    facts: (spec) => ({
      image: { height: spec.size, width: spec.size, channels: 3 },
      classes: spec.classes,
      trainCount: spec.train,
      testCount: spec.test,
    }),
  }),
  /** CIFAR-10's binary version: `data_batch_1.bin` ... `test_batch.bin`. */
  cifar10: datasetKind({ dir: true, options: {}, facts: () => ({ ...CIFAR, classes: 10 }) }),
  /** CIFAR-100's binary version: `train.bin`, `test.bin`, with fine (100) or coarse (20) labels. */
  cifar100: datasetKind({
    dir: true,
    options: { labels: oneOf(['fine', 'coarse'], 'label set').default('fine') },
    facts: (spec) => ({ ...CIFAR, classes: spec.labels === 'fine' ? 100 : 20 }),
  }),
  /** MNIST's four IDX files, gzipped or not. */
  mnist: datasetKind({ dir: true, options: {}, facts: () => MNIST }),
  /** Fashion-MNIST's four IDX files, gzipped or not. */
  'fashion-mnist': datasetKind({ dir: true, options: {}, facts: () => MNIST }),
  /** One subfolder of JPEG/PNG images per class, scaled to `size` x `size`. */
  folder: datasetKind({
    dir: true,
    // 1024 is three times NASNet-Large's 331x331 input; the network's image size allows no more.
    options: { size: integer(1, 1024, 'image side in pixels').default(32) },
    // Every image is decoded to RGB and scaled to size x size (trainer/data/image-folder.ts); its
    // classes and counts are unknown until the folder is read.
    facts: (spec) => ({
      image: { height: spec.size, width: spec.size, channels: 3 },
      classes: null,
      trainCount: null,
      testCount: null,
    }),
  }),
} satisfies DatasetKindTable);

type KindTable = typeof DATASET_KIND_TABLE;

/** The kinds of dataset a spec can name. */
export type DatasetKind = keyof KindTable;

/** The spec of one kind, e.g. `{ kind: 'cifar100', dir: string, labels: 'fine' | 'coarse' }`. */
export type DatasetSpecOf<K extends DatasetKind> = DatasetSpecsOf<KindTable>[K];

/** A dataset to load: the built-in synthetic one, or files in a folder in a known format. */
export type DatasetSpec = DatasetSpecOf<DatasetKind>;

/** The built-in kinds' parser, formatter, facts and schema. */
export const DATASET_REGISTRY = datasetRegistry(DATASET_KIND_TABLE);

/** Every kind, in table order. */
export const DATASET_KINDS: readonly DatasetKind[] = DATASET_REGISTRY.kinds;

/** The accepted forms, one per kind, for error messages and `--help`. */
export const DATASET_SPEC_FORMS: readonly string[] = DATASET_REGISTRY.forms;

/**
 * Parses a dataset spec (`synthetic:classes=4`, `cifar100:<dir>,labels=coarse`); absent options
 * take the table's defaults. Throws InvalidValueError('dataset spec "..."') listing every problem
 * with its path (`kind`, `dir`, `classes`, ...), the allowed forms for an unknown kind.
 */
export function parseDatasetSpec(spec: string): DatasetSpec {
  return DATASET_REGISTRY.parse(spec);
}

/**
 * The canonical string of a spec: the folder as written, then every option in table order. It keys
 * the trainer's dataset cache, travels on the wire, and parses back to `spec`.
 */
export function formatDatasetSpec(spec: DatasetSpec): string {
  return DATASET_REGISTRY.format(spec);
}

/**
 * The schema of a dataset spec, yielding the typed spec: its string (the CLI, the wire) or its JSON
 * form (a stored request or settings). Composed into the trial request and search settings schemas,
 * its violations appear under their field (`dataset.classes`).
 */
export const DATASET_SPEC_SCHEMA: z.ZodType<DatasetSpec, unknown> = DATASET_REGISTRY.schema;
