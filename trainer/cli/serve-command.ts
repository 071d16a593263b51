/** `nas-trainer serve`: runs this process as a gRPC trainer (trainer/server/). */
import { Option, type Command } from 'commander';
import {
  LOG_LEVELS,
  parseServeConfig,
  TOKEN_ENV,
  type ServeFlags,
} from '../server/serve-config.ts';
import { serve } from '../server/serve.ts';
import { METRICS_PUBLIC_HELP } from '../../runtime/metrics-address.ts';

/** Adds `serve` to the nas-trainer program. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve trials over gRPC (nas.v1.TrainerService, health, reflection) until SIGTERM or SIGINT',
    )
    .option('--port <n>', 'TCP port; 0 picks a free one (the address is printed)', '50051')
    .option(
      '--host <address>',
      'address to listen on; 0.0.0.0 or :: for every interface',
      '127.0.0.1',
    )
    .addOption(
      new Option('--backend <name>', 'tfjs backend')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option(
      '--gpu <n>',
      'GPU index for node-gpu: sets CUDA_VISIBLE_DEVICES=<n> before the backend loads',
    )
    .option(
      '--data-root <dir>',
      'relative dataset folders resolve here, and datasets may come only from here',
    )
    .option(
      '--token <token>',
      `shared bearer token every call must send (default: $${TOKEN_ENV}); visible in ps, prefer --token-file`,
    )
    .option(
      '--token-file <file>',
      'read the token from this file (one trailing newline dropped); not with --token',
    )
    .option('--tls-cert <file>', 'PEM certificate chain: serve TLS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option(
      '--tls-ca <file>',
      'PEM CA certificates: require client certificates signed by them (mutual TLS)',
    )
    .option(
      '--capacity <n>',
      'trials run at once, each in a trial process of its own; one more is refused with RESOURCE_EXHAUSTED',
      '1',
    )
    .option(
      '--threads <n>',
      'intra-op threads of the native (tensorflow) backend per trial process; wasm and cpu run one (default: the cores divided among the --capacity trial processes)',
    )
    .option(
      '--max-memory <size>',
      'refuse trials whose estimated memory exceeds this (8GiB, 512MiB, 2e9); default: 3/4 of memory (or the cgroup limit) shared by the slots, at most 2.8GiB (0.7 of the 4GiB heap) on wasm',
    )
    .option(
      '--metrics-port <n>',
      'serve Prometheus metrics at http://<metrics-host>:<n>/metrics; 0 picks a free port (the address is printed); default: no metrics',
    )
    .option(
      '--metrics-host <address>',
      'address the metrics endpoint listens on, with --metrics-port (default: 127.0.0.1; one other machines reach needs --metrics-public)',
    )
    .option('--metrics-public', METRICS_PUBLIC_HELP, false)
    .addOption(
      new Option('--log-level <level>', 'server log level (JSON lines on stderr)')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .action(async (flags: ServeFlags) => {
      await serve(parseServeConfig(flags, process.env));
    });
}
