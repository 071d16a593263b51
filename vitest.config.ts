import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Integration suites start real trainer processes in beforeAll; a loaded machine needs time.
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
