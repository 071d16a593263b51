import { defineConfig } from 'vitest/config';
import { PACK_TESTS } from './vitest.config.ts';

/**
 * The npm package's install test, on its own after the others: `npm pack` builds dist/, and the
 * install compiles better-sqlite3, minutes of both cores the timed tests of the parallel run must
 * not share.
 */
export default defineConfig({
  test: {
    include: [PACK_TESTS],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
