/**
 * Shared by the grpc-*.test.ts files: tiny trial requests, trainer processes on 127.0.0.1:0, test
 * certificates made by openssl, and plain gRPC calls to the health and reflection services.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Client, credentials, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { TrainerCallError } from '../../controller/trainer-client/errors.ts';
import type { ClientTls } from '../../controller/trainer-client/client-options.ts';

const BIN = new URL('../../bin/nas-trainer.js', import.meta.url).pathname;

/** NASNET-A at 1 @ 48 on 16x16 synthetic images: 2 steps of 16, a second or so on wasm. */
export const TINY: TrialRequest = {
  genotype: NASNET_A,
  network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
  training: parseTrainingSettings({
    epochs: 1,
    stepsPerEpoch: 2,
    batchSize: 16,
    validationSize: 64,
  }),
  dataset: parseDatasetSpec('synthetic:classes=4,size=16,train=256,test=64'),
};

/** Long enough to be cancelled or killed mid-way (a thousand steps). */
export const LONG: TrialRequest = {
  ...TINY,
  training: parseTrainingSettings({ ...TINY.training, epochs: 10, stepsPerEpoch: 100 }),
};

/** A running `nas-trainer serve`. */
export interface TrainerProcess {
  readonly address: string;
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  /** What it logged on stderr so far. */
  log(): string;
}

const children: ChildProcess[] = [];

/** Starts `nas-trainer serve --port 0 ...args` and resolves with the address it prints. */
export async function spawnTrainer(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<TrainerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exit.then((code) =>
      reject(new Error(`the trainer exited (${code}) before listening:\n${log}`)),
    );
  });
  return { address, child, exit, log: () => log };
}

/** Kills (SIGKILL, by process) every trainer these helpers started that is still running. */
export function killTrainers(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The TrainerCallError `promise` rejects with (throws if it resolves or rejects otherwise). */
export async function callFailure(promise: Promise<unknown>): Promise<TrainerCallError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof TrainerCallError))
    throw new Error(`expected a TrainerCallError, got ${String(err)}`);
  return err;
}

/** The standard health service's answer (grpc.health.v1) for the whole server. */
export async function healthCheck(
  address: string,
  creds: ChannelCredentials = credentials.createInsecure(),
  metadata = new Metadata(),
): Promise<unknown> {
  const check = healthService.Check;
  if (check === undefined) throw new Error('grpc-health-check has no Check method');
  const client = new Client(address, creds);
  try {
    return await new Promise((resolve, reject) => {
      const options = { deadline: Date.now() + 10_000 };
      client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service: '' },
        metadata,
        options,
        (err, response) => (err ? reject(err) : resolve(response)),
      );
    });
  } finally {
    client.close();
  }
}

/** The first answer of server reflection (grpc.reflection.v1) to "list services", as JSON. */
export async function reflectionServices(address: string): Promise<string> {
  const proto = createRequire(import.meta.url).resolve(
    '@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto',
  );
  const service = loadSync(proto)['grpc.reflection.v1.ServerReflection'];
  const info =
    service !== undefined && 'ServerReflectionInfo' in service
      ? service.ServerReflectionInfo
      : undefined;
  if (info === undefined || !('requestSerialize' in info)) throw new Error('no reflection method');
  const client = new Client(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) => {
      const options = { deadline: Date.now() + 5000 };
      const call = client.makeBidiStreamRequest(
        info.path,
        info.requestSerialize,
        info.responseDeserialize,
        new Metadata(),
        options,
      );
      call.on('data', (response: object) => {
        resolve(JSON.stringify(response));
        call.end();
      });
      call.on('error', reject);
      call.write({ listServices: '' });
    });
  } finally {
    client.close();
  }
}

/** Test PKI: a CA, a server certificate for 127.0.0.1/localhost and a client certificate it signed. */
export interface TestCertificates {
  readonly dir: string;
  /** Server flags: --tls-cert, --tls-key, --tls-ca. */
  readonly serverFlags: readonly string[];
  /** What a client with a certificate passes. */
  readonly client: ClientTls;
}

const run = promisify(execFile);

/** Makes {@link TestCertificates} with openssl (P-256 keys: quick to generate). */
export async function makeCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'cellsearch-tls-'));
  const at = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=cellsearch test CA',
  ]);
  const uses = {
    server: 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth',
    client: 'extendedKeyUsage=clientAuth',
  };
  for (const [name, ext] of Object.entries(uses)) {
    await writeFile(at(`${name}.ext`), `basicConstraints=CA:FALSE\n${ext}\n`);
    await run('openssl', [
      'req',
      ...ec,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    ]);
    const sign = [
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      at(`${name}.ext`),
    ];
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-out',
      at(`${name}.crt`),
      ...sign,
    ]);
  }
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'client.crt', 'client.key'].map((f) => readFile(at(f))),
  );
  return {
    dir,
    serverFlags: [
      '--tls-cert',
      at('server.crt'),
      '--tls-key',
      at('server.key'),
      '--tls-ca',
      at('ca.crt'),
    ],
    client: { ca, cert, key },
  };
}
