/** The public surface of shared/: the search space, genotypes and everything computed from them alone. */
export * from './canonical.ts';
export * from './complexity.ts';
export * from './decisions.ts';
export * from './errors.ts';
export * from './genotype.ts';
export * from './known-genotypes.ts';
export * from './mutate.ts';
export * from './network-plan.ts';
export * from './ops.ts';
export * from './render.ts';
export * from './rng.ts';
export * from './sample.ts';
export * from './search-space.ts';
export * from './validate.ts';
