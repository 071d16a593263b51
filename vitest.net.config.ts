import { defineConfig } from 'vitest/config';
import { NETWORK_TESTS } from './vitest.config.ts';

/**
 * The tests across network hosts (namespaces, a DNS server, trainers on several hosts), one file at
 * a time: each starts a dozen processes, and its timings are what it reports.
 */
export default defineConfig({
  test: {
    include: [NETWORK_TESTS],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
