/**
 * What one kind of dataset is, as one entry of a kind table: its spec syntax (whether a spec names a
 * folder, its `name=value` options) and its facts (image shape, classes, sizes), side by side. The
 * spec types of a table follow from its entries; shared/dataset-registry.ts builds the parser from a
 * table and shared/dataset-spec.ts holds the built-in one.
 */
import type { z } from 'zod';
import type { Shape } from './shape.ts';

/** A dataset's shape and sizes as far as its spec tells them; `null` where only reading can tell. */
export interface DatasetFacts {
  /** One image: height, width and channels, as the trainer's reader produces it. */
  readonly image: Shape;
  readonly classes: number | null;
  readonly trainCount: number | null;
  readonly testCount: number | null;
}

/** A kind's options, each a schema with its range and default; a spec always carries every option. */
export type DatasetOptionSchemas = Readonly<Record<string, z.ZodDefault>>;

/** The fields of a spec besides its `kind`: the folder when the kind reads one, and every option. */
export type DatasetSpecFields<D extends boolean, O extends DatasetOptionSchemas> = (D extends true
  ? { readonly dir: string }
  : unknown) & { readonly [P in keyof O]: z.output<O[P]> };

/** One kind of dataset: whether its spec names a folder, its options, and what a spec tells of it. */
export interface DatasetKindRule<D extends boolean, O extends DatasetOptionSchemas> {
  /** Whether the spec names a folder (`kind:<dir>`). */
  readonly dir: D;
  /** Every option with its range and default, in the order `--help` and the canonical form list them. */
  readonly options: O;
  /** The image shape, classes and split sizes of a spec of this kind; the reader must agree. */
  readonly facts: (spec: DatasetSpecFields<D, O>) => DatasetFacts;
}

/**
 * One entry of a kind table. A function rather than a plain object so that `facts` sees the exact
 * spec its `dir` and `options` describe (`spec.size` is a number, `spec.dir` exists or not).
 */
export function datasetKind<const D extends boolean, const O extends DatasetOptionSchemas>(
  rule: DatasetKindRule<D, O>,
): DatasetKindRule<D, O> {
  return Object.freeze(rule);
}

/** Any entry, as generic code reads it (its `facts` is called through {@link DatasetSpecsOf}). */
interface AnyDatasetKindRule {
  readonly dir: boolean;
  readonly options: DatasetOptionSchemas;
  readonly facts: (spec: never) => DatasetFacts;
}

/** A table of dataset kinds by name, in the order `--help` lists them. */
export type DatasetKindTable = Readonly<Record<string, AnyDatasetKindRule>>;

/** The spec of every kind of table `T`: its `kind`, its folder when it has one, and every option. */
export type DatasetSpecsOf<T extends DatasetKindTable> = {
  readonly [K in keyof T & string]: { readonly kind: K } & DatasetSpecFields<
    T[K]['dir'],
    T[K]['options']
  >;
};

/** A spec of any kind of table `T`. */
export type DatasetSpecIn<T extends DatasetKindTable> = DatasetSpecsOf<T>[keyof T & string];

/** What `datasetRegistry` requires of every entry: facts that accept that kind's spec. */
export type DatasetFactsTable<T extends DatasetKindTable> = {
  readonly [K in keyof T & string]: {
    readonly facts: (spec: DatasetSpecsOf<T>[K]) => DatasetFacts;
  };
};
