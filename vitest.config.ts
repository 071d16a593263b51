import { configDefaults, defineConfig } from 'vitest/config';

/** The tests across network hosts: run on their own by `npm run test:net` (vitest.net.config.ts). */
export const NETWORK_TESTS = 'test/integration/netns-*.test.ts';
/** The npm package's install test: run on its own by `npm run test:pack` (vitest.pack.config.ts). */
export const PACK_TESTS = 'test/integration/npm-pack-*.test.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Many processes each: kept out of the parallel run, where their load would slow its timed parts.
    exclude: [...configDefaults.exclude, NETWORK_TESTS, PACK_TESTS],
    testTimeout: 120_000,
    // Integration suites start real trainer processes in beforeAll; a loaded machine needs time.
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm run test:native` runs the files tagged `// @module-tag native` again on tfjs-node.
    tags: [{ name: 'native', description: 'also run on the native tensorflow backend' }],
  },
});
