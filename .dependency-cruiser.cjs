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
      name: 'runtime-tfjs-only-in-wasm-loader',
      comment:
        'runtime/tfjs-wasm.ts is the one loader of the tfjs wasm backend both binaries share; no other runtime/ module imports TensorFlow.js.',
      severity: 'error',
      from: { path: '^runtime/', pathNot: '^runtime/tfjs-wasm\\.ts$' },
      to: { path: '@tensorflow/' },
    },
    {
      name: 'wasm-loader-only-from-tf-modules',
      comment:
        "Only the module that owns TensorFlow.js in the trainer (trainer/tf.ts) and the tests' tfjs reference of the RL policy's objective (test/fixtures/tfjs-policy/tf.ts) load the wasm backend.",
      severity: 'error',
      from: { pathNot: '^(trainer/tf|test/fixtures/tfjs-policy/tf)\\.ts$' },
      to: { path: '^runtime/tfjs-wasm\\.ts$' },
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
      name: 'controller-no-tfjs',
      comment:
        'The controller does not use TensorFlow.js: its RL policy trains on its own kernels (controller/strategies/rl/policy-gradient.ts).',
      severity: 'error',
      from: { path: '^controller/' },
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
    // The trainer's layers, top to bottom: main.ts -> cli/ -> server/ (gRPC, the trial service) ->
    // metrics/ and runner/ (trial processes; metrics wraps a runner) -> train/ -> network/ ->
    // profiles/ -> kernels/ -> tf.ts, with data/, infer/ and native/ beside them. Imports go down,
    // never up: what a lower layer shares with a higher one (the runner's types, a trial's status)
    // lives in the lower one.
    {
      name: 'trainer-server-on-top',
      comment:
        'Only trainer/cli/ and trainer/main.ts import trainer/server/; below the server nothing imports it (nor cli/).',
      severity: 'error',
      from: { path: '^trainer/(runner|metrics|train|network|profiles|kernels|data|infer|native)/' },
      to: { path: '^trainer/(server|cli)/' },
    },
    {
      name: 'trainer-runner-below-server',
      comment:
        'trainer/runner/ runs trials and knows nothing of who observes them: it never imports trainer/metrics/ (metrics wraps a runner).',
      severity: 'error',
      from: { path: '^trainer/runner/' },
      to: { path: '^trainer/metrics/' },
    },
    {
      name: 'trainer-training-below-runner',
      comment:
        'Training, networks, data and backends never import the runner or metrics layers above them.',
      severity: 'error',
      from: { path: '^trainer/(train|network|profiles|kernels|data|infer|native)/' },
      to: { path: '^trainer/(runner|metrics)/' },
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
