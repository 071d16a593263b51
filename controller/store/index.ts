/** The run store: a run directory's SQLite database of the config, every trial and strategy snapshots. */
export * from './errors.ts';
export * from './open-run-store.ts';
export type * from './records.ts';
export type * from './run-store.ts';
export { KEPT_SNAPSHOTS, RUN_FILE, SCHEMA_VERSION } from './schema.ts';
export { LEASE_TTL_MS, type LeaseOptions } from './run-lease.ts';
export { StrategyJournal, type JournalEntry } from './strategy-journal.ts';
