/**
 * Import boundaries between the top-level folders, as README.md's Layout section sets them out.
 * `npm run boundaries` fails on any violation.
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment:
        'shared/ is pure TypeScript: it imports only shared/, Node built-ins and zod (its schemas).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: '^(shared/|node_modules/zod/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'runtime-only-shared',
      comment:
        'runtime/ is the process plumbing both binaries use (files, the CLI error boundary, metrics endpoints, memory limits, tokens): it imports shared/, never proto/, controller/ or trainer/.',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: '^(proto|controller|trainer|test)/' },
    },
    {
      name: 'proto-only-shared',
      comment: 'proto/ may import shared/, never controller/ or trainer/.',
      severity: 'error',
      from: { path: '^proto/' },
      to: { path: '^(controller|trainer|test)/' },
    },
    {
      name: 'controller-not-trainer',
      comment: 'controller/ never imports trainer/.',
      severity: 'error',
      from: { path: '^controller/' },
      to: { path: '^trainer/' },
    },
    {
      name: 'controller-tfjs-only-in-rl-policy',
      comment: 'Only the RL policy module of the controller may use TensorFlow.js.',
      severity: 'error',
      from: { path: '^controller/', pathNot: '^controller/strategies/rl/' },
      to: { path: '@tensorflow/' },
    },
    {
      name: 'trainer-not-controller',
      comment: 'trainer/ never imports controller/.',
      severity: 'error',
      from: { path: '^trainer/' },
      to: { path: '^controller/' },
    },
    {
      name: 'tfjs-only-through-trainer-tf',
      comment:
        'trainer/tf.ts chooses and loads the tfjs backend; the rest of trainer/ imports tf from it.',
      severity: 'error',
      from: { path: '^trainer/', pathNot: '^trainer/tf\\.ts$' },
      to: { path: '@tensorflow/' },
    },
    {
      name: 'production-not-test',
      comment: 'Production code never imports test/.',
      severity: 'error',
      from: { path: '^(shared|runtime|proto|controller|trainer)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import resolves, but the URLs the dashboard page loads its libraries from (/lib/..., served by controller/dashboard/static-files.ts).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^/lib/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
